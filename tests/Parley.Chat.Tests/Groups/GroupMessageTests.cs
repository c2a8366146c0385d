using Parley.Chat.Conversations;
using Parley.Chat.Notifications;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Groups;

public sealed class GroupMessageTests
{
    [Fact]
    public async Task AGroupMessageIsPublishedOnceToTheGroup()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var carol = await chat.UserAsync("carol");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, carol.Id);
        chat.Notifier.Clear();

        var first = await chat.SendToGroupAsync(bob, group.Id, "大家好 👋", "g-1");
        var second = await chat.SendToGroupAsync(carol, group.Id, "hi");

        Assert.Equal((ConversationId.ForGroup(group.Id), 1L, 2L), (first.Conversation, first.Seq, second.Seq));
        var published = chat.Notifier.All;
        Assert.Equal(2, published.Count);
        Assert.All(published, n => Assert.Equal((NotificationTarget.Group, group.Id), (n.Target, n.TargetId)));
        Assert.Equal(MessageEvent.Of(first), published[0].Event);
        Assert.Equal(["大家好 👋", "hi"], (await chat.Messages.HistoryAsync(alice.Id, first.Conversation, null, null)).Select(m => m.Body));
    }

    [Fact]
    public async Task GroupMessagesCountAsUnreadForTheOtherMembers()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);

        await chat.SendToGroupAsync(alice, group.Id, "one");
        await chat.SendToGroupAsync(alice, group.Id, "two");

        Assert.Equal(2, Assert.Single(await chat.Messages.ConversationsAsync(bob.Id)).Unread);
        Assert.Equal(0, Assert.Single(await chat.Messages.ConversationsAsync(alice.Id)).Unread);
        Assert.Equal(["one", "two"], (await chat.Messages.SyncAsync(bob.Id, null)).Messages.Select(m => m.Body));
    }

    [Fact]
    public async Task ANewcomerStartsWithNothingUnread()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.SendToGroupAsync(alice, group.Id, "before bob");

        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);

        Assert.Equal(0, Assert.Single(await chat.Messages.ConversationsAsync(bob.Id)).Unread);
        Assert.Empty((await chat.Messages.SyncAsync(bob.Id, null)).Messages);
    }

    [Fact]
    public async Task ANonMemberCannotSendToOrReadTheGroup()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var eve = await chat.UserAsync("eve");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.SendToGroupAsync(alice, group.Id, "members only");
        chat.Notifier.Clear();

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "not_member", () => chat.SendToGroupAsync(eve, group.Id, "let me in"));
        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "not_member", () => chat.Messages.TypingAsync(eve.Id, null, group.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "conversation_not_found",
            () => chat.Messages.HistoryAsync(eve.Id, ConversationId.ForGroup(group.Id), null, null));

        Assert.Empty(chat.Notifier.All);
        Assert.Single(await chat.Messages.HistoryAsync(alice.Id, ConversationId.ForGroup(group.Id), null, null));
    }

    [Fact]
    public async Task AKickedMemberCanNoLongerSendOrRead()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);
        await chat.SendToGroupAsync(bob, group.Id, "hello");

        await chat.Groups.KickAsync(alice.Id, group.Id, bob.Id);

        Assert.Contains((group.Id, bob.Id), chat.Notifier.Departures);
        Assert.Contains(chat.Notifier.EventsOf(bob.Id), e => e.Type == "group-removed");
        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "not_member", () => chat.SendToGroupAsync(bob, group.Id, "still here?"));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "conversation_not_found",
            () => chat.Messages.HistoryAsync(bob.Id, ConversationId.ForGroup(group.Id), null, null));
        Assert.Empty(await chat.Messages.ConversationsAsync(bob.Id));
    }

    [Fact]
    public async Task TypingAndRecallInAGroupGoToTheGroup()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);
        var sent = await chat.SendToGroupAsync(bob, group.Id, "oops");
        chat.Notifier.Clear();

        await chat.Messages.TypingAsync(alice.Id, null, group.Id);
        await chat.Messages.RecallAsync(bob.Id, sent.Id);

        Assert.Equal(
            [new TypingEvent(sent.Conversation, alice.Id), new RecalledEvent(sent.Conversation, sent.Seq, sent.Id)],
            chat.Notifier.All.Select(n => n.Event));
        Assert.All(chat.Notifier.All, n => Assert.Equal((NotificationTarget.Group, group.Id), (n.Target, n.TargetId)));
    }

    [Fact]
    public async Task MarkingAGroupReadTellsOnlyTheReadersOwnSessions()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);
        var sent = await chat.SendToGroupAsync(alice, group.Id, "read me");
        chat.Notifier.Clear();

        Assert.Equal(1, await chat.Messages.MarkReadAsync(bob.Id, sent.Conversation, 1));

        Assert.Equal([new ReadEvent(sent.Conversation, bob.Id, 1)], chat.Notifier.EventsOf(bob.Id));
        Assert.Single(chat.Notifier.All);
    }
}
