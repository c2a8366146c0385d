using Parley.Chat.Conversations;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Conversations;

public sealed class HistoryTests
{
    [Fact]
    public async Task HistoryPagesBackwardsOldestFirst()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        for (var i = 1; i <= 7; i++)
            await chat.SendAsync(i % 2 == 0 ? bob : alice, i % 2 == 0 ? alice : bob, "m" + i);
        var conversation = ConversationId.ForDirect(alice.Id, bob.Id);

        var newest = await chat.Messages.HistoryAsync(alice.Id, conversation, null, 3);
        var older = await chat.Messages.HistoryAsync(alice.Id, conversation, newest[0].Seq, 3);
        var oldest = await chat.Messages.HistoryAsync(alice.Id, conversation, older[0].Seq, 3);
        var none = await chat.Messages.HistoryAsync(alice.Id, conversation, oldest[0].Seq, 3);

        Assert.Equal(["m5", "m6", "m7"], newest.Select(m => m.Body));
        Assert.Equal(["m2", "m3", "m4"], older.Select(m => m.Body));
        Assert.Equal(["m1"], oldest.Select(m => m.Body));
        Assert.Empty(none);
    }

    [Fact]
    public async Task HistoryPageSizeIsClamped()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        for (var i = 1; i <= 3; i++)
            await chat.SendAsync(alice, bob, "m" + i);
        var conversation = ConversationId.ForDirect(alice.Id, bob.Id);

        Assert.Equal(["m3"], (await chat.Messages.HistoryAsync(alice.Id, conversation, null, 0)).Select(m => m.Body));
        Assert.Equal(["m3"], (await chat.Messages.HistoryAsync(alice.Id, conversation, null, -5)).Select(m => m.Body));
        Assert.Equal(3, (await chat.Messages.HistoryAsync(alice.Id, conversation, null, 10_000)).Count);
    }

    [Fact]
    public async Task ANonMemberCannotReadADirectConversation()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var eve = await chat.UserAsync("eve");
        await chat.SendAsync(alice, bob, "secret");
        var conversation = ConversationId.ForDirect(alice.Id, bob.Id);

        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "conversation_not_found", () => chat.Messages.HistoryAsync(eve.Id, conversation, null, null));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "conversation_not_found", () => chat.Messages.HistoryAsync(eve.Id, "nonsense", null, null));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "conversation_not_found", () => chat.Messages.MarkReadAsync(eve.Id, conversation, 1));
    }

    [Fact]
    public async Task UnreadCountsCountOnlyOthersMessagesAfterTheReadMark()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        await chat.SendAsync(alice, bob, "one");
        await chat.SendAsync(alice, bob, "two");
        var last = await chat.SendAsync(bob, alice, "three");

        var ofAlice = Assert.Single(await chat.Messages.ConversationsAsync(alice.Id));
        var ofBob = Assert.Single(await chat.Messages.ConversationsAsync(bob.Id));

        Assert.Equal((last.Conversation, 3L, 0L, 1), (ofAlice.Conversation, ofAlice.LastSeq, ofAlice.ReadSeq, ofAlice.Unread));
        Assert.Equal((3L, 2), (ofBob.LastSeq, ofBob.Unread));
        Assert.Equal(last, ofAlice.LastMessage);

        await chat.Messages.MarkReadAsync(bob.Id, last.Conversation, 1);
        Assert.Equal(1, Assert.Single(await chat.Messages.ConversationsAsync(bob.Id)).Unread);
    }

    [Fact]
    public async Task ConversationsAreListedMostRecentFirst()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var carol = await chat.UserAsync("carol");
        await chat.BefriendAsync(alice, carol);
        await chat.SendAsync(bob, alice, "from bob");
        chat.Time.Advance(TimeSpan.FromSeconds(1));
        await chat.SendAsync(carol, alice, "from carol");
        chat.Time.Advance(TimeSpan.FromSeconds(1));
        await chat.SendAsync(bob, alice, "bob again");

        var list = await chat.Messages.ConversationsAsync(alice.Id);

        Assert.Equal([ConversationId.ForDirect(alice.Id, bob.Id), ConversationId.ForDirect(alice.Id, carol.Id)], list.Select(c => c.Conversation));
    }
}
