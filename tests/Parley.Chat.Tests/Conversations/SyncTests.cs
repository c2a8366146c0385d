using Parley.Chat.Conversations;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Conversations;

public sealed class SyncTests
{
    [Fact]
    public async Task SyncWithoutCursorsDeliversTheOfflineNotesAfterTheReadMark()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        for (var i = 1; i <= 4; i++)
            await chat.SendAsync(alice, bob, "note " + i);
        await chat.Messages.MarkReadAsync(bob.Id, ConversationId.ForDirect(alice.Id, bob.Id), 1);

        var sync = await chat.Messages.SyncAsync(bob.Id, null);

        Assert.Equal(["note 2", "note 3", "note 4"], sync.Messages.Select(m => m.Body));
        Assert.Equal([2L, 3L, 4L], sync.Messages.Select(m => m.Seq));
        Assert.False(sync.More);
    }

    [Fact]
    public async Task SyncWithCursorsDeliversOnlyNewerMessages()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        for (var i = 1; i <= 4; i++)
            await chat.SendAsync(alice, bob, "m" + i);
        var conversation = ConversationId.ForDirect(alice.Id, bob.Id);

        var sync = await chat.Messages.SyncAsync(bob.Id, new Dictionary<string, long> { [conversation] = 2 });
        var upToDate = await chat.Messages.SyncAsync(bob.Id, new Dictionary<string, long> { [conversation] = 4 });

        Assert.Equal([3L, 4L], sync.Messages.Select(m => m.Seq));
        Assert.Empty(upToDate.Messages);
        Assert.False(upToDate.More);
    }

    [Fact]
    public async Task SyncCoversEveryConversationAndLeavesOutReadOnes()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var carol = await chat.UserAsync("carol");
        await chat.BefriendAsync(carol, bob);
        var fromAlice = await chat.SendAsync(alice, bob, "from alice");
        var fromCarol = await chat.SendAsync(carol, bob, "from carol");
        var group = await chat.Groups.CreateAsync(bob.Id, "Team");
        var inGroup = await chat.SendToGroupAsync(bob, group.Id, "own group message");

        var sync = await chat.Messages.SyncAsync(bob.Id, new Dictionary<string, long> { [inGroup.Conversation] = 1 });

        Assert.Equal(
            new[] { fromAlice.Id, fromCarol.Id }.Order(),
            sync.Messages.Select(m => m.Id).Order());
        Assert.Equal(
            new[] { fromAlice.Conversation, fromCarol.Conversation }.Order(),
            sync.Messages.Select(m => m.Conversation).Order());
    }

    [Fact]
    public async Task SyncPagesWithMoreUntilEverythingIsDelivered()
    {
        await using var chat = await TestChat.StartAsync(o => o.SyncPageSize = 2);
        var (alice, bob) = await chat.FriendsAsync();
        for (var i = 1; i <= 5; i++)
            await chat.SendAsync(alice, bob, "m" + i);
        var conversation = ConversationId.ForDirect(alice.Id, bob.Id);

        var pages = new List<SyncResult>();
        var cursors = new Dictionary<string, long>();
        do
        {
            pages.Add(await chat.Messages.SyncAsync(bob.Id, cursors));
            foreach (var message in pages[^1].Messages)
                cursors[message.Conversation] = message.Seq;
        }
        while (pages[^1].More && pages.Count < 10);

        Assert.Equal([2, 2, 1], pages.Select(p => p.Messages.Count));
        Assert.Equal([true, true, false], pages.Select(p => p.More));
        Assert.Equal([1L, 2L, 3L, 4L, 5L], pages.SelectMany(p => p.Messages).Select(m => m.Seq));
        Assert.Equal(5, cursors[conversation]);
    }

    [Fact]
    public async Task SyncSaysMoreWhenThePageFillsExactlyBeforeAnotherConversation()
    {
        await using var chat = await TestChat.StartAsync(o => o.SyncPageSize = 2);
        var (alice, bob) = await chat.FriendsAsync();
        var carol = await chat.UserAsync("carol");
        await chat.BefriendAsync(carol, bob);
        await chat.SendAsync(alice, bob, "a1");
        await chat.SendAsync(alice, bob, "a2");
        chat.Time.Advance(TimeSpan.FromSeconds(1));
        await chat.SendAsync(carol, bob, "c1");
        await chat.SendAsync(carol, bob, "c2");

        var first = await chat.Messages.SyncAsync(bob.Id, null);
        var cursors = first.Messages.GroupBy(m => m.Conversation).ToDictionary(g => g.Key, g => g.Max(m => m.Seq));
        var second = await chat.Messages.SyncAsync(bob.Id, cursors);

        Assert.Equal(2, first.Messages.Count);
        Assert.True(first.More);
        Assert.Equal(2, second.Messages.Count);
        Assert.False(second.More);
        Assert.Equal(
            new[] { "a1", "a2", "c1", "c2" },
            first.Messages.Concat(second.Messages).Select(m => m.Body).Order());
    }

    [Fact]
    public async Task SyncNeverMovesReadMarks()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        await chat.SendAsync(alice, bob, "one");
        await chat.SendAsync(alice, bob, "two");
        var conversation = ConversationId.ForDirect(alice.Id, bob.Id);

        await chat.Messages.SyncAsync(bob.Id, null);
        await chat.Messages.SyncAsync(bob.Id, new Dictionary<string, long> { [conversation] = 2 });

        Assert.Equal(0, await chat.Store.Conversations.GetReadMarkAsync(conversation, bob.Id));
        Assert.Equal(2, Assert.Single(await chat.Messages.ConversationsAsync(bob.Id)).Unread);
        Assert.Equal(2, (await chat.Messages.SyncAsync(bob.Id, null)).Messages.Count);
        Assert.DoesNotContain(chat.Notifier.All, n => n.Event.Type == "read");
    }

    [Fact]
    public async Task SyncOfAUserWithNothingIsEmpty()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        var sync = await chat.Messages.SyncAsync(alice.Id, null);

        Assert.Empty(sync.Messages);
        Assert.False(sync.More);
    }
}
