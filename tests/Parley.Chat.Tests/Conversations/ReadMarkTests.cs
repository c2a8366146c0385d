using Parley.Chat.Conversations;
using Parley.Chat.Notifications;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Conversations;

public sealed class ReadMarkTests
{
    [Fact]
    public async Task MarkingReadTellsTheOtherSideAndTheReadersOwnSessions()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var sent = await chat.SendAsync(alice, bob, "one");
        await chat.SendAsync(alice, bob, "two");
        chat.Notifier.Clear();

        var mark = await chat.Messages.MarkReadAsync(bob.Id, sent.Conversation, 2);

        Assert.Equal(2, mark);
        var read = new ReadEvent(sent.Conversation, bob.Id, 2);
        Assert.Equal([read], chat.Notifier.EventsOf(alice.Id));
        Assert.Equal([read], chat.Notifier.EventsOf(bob.Id));
        Assert.Equal(0, Assert.Single(await chat.Messages.ConversationsAsync(bob.Id)).Unread);
    }

    [Fact]
    public async Task TheReadMarkNeverMovesBackwardsNorPastTheLastMessageAndOnlyAMoveIsTold()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        for (var i = 0; i < 3; i++)
            await chat.SendAsync(alice, bob, "m" + i);
        var conversation = ConversationId.ForDirect(alice.Id, bob.Id);

        Assert.Equal(2, await chat.Messages.MarkReadAsync(bob.Id, conversation, 2));
        Assert.Equal(2, await chat.Messages.MarkReadAsync(bob.Id, conversation, 1));
        Assert.Equal(3, await chat.Messages.MarkReadAsync(bob.Id, conversation, 99));
        Assert.Equal(3, await chat.Store.Conversations.GetReadMarkAsync(conversation, bob.Id));
        Assert.Equal([2L, 3L], chat.Notifier.ToUser<ReadEvent>(alice.Id).Select(r => r.Seq));
    }
}
