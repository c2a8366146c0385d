using Parley.Chat.Notifications;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Conversations;

public sealed class RecallTests
{
    [Fact]
    public async Task RecallWithinTheWindowEmptiesTheBodyAndTellsBothSides()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var sent = await chat.SendAsync(alice, bob, "oops, wrong window");
        chat.Notifier.Clear();
        chat.Time.Advance(TimeSpan.FromMinutes(2));

        var recalled = await chat.Messages.RecallAsync(alice.Id, sent.Id);

        Assert.True(recalled.Recalled);
        Assert.Equal("", recalled.Body);
        var expected = new RecalledEvent(sent.Conversation, sent.Seq, sent.Id);
        Assert.Equal([expected], chat.Notifier.EventsOf(alice.Id));
        Assert.Equal([expected], chat.Notifier.EventsOf(bob.Id));
        var stored = Assert.Single(await chat.Messages.HistoryAsync(bob.Id, sent.Conversation, null, null));
        Assert.Equal((true, ""), (stored.Recalled, stored.Body));
        var synced = Assert.Single((await chat.Messages.SyncAsync(bob.Id, null)).Messages);
        Assert.Equal((true, ""), (synced.Recalled, synced.Body));
    }

    [Fact]
    public async Task RecallAfterTheWindowIsForbidden()
    {
        await using var chat = await TestChat.StartAsync(o => o.RecallWindow = TimeSpan.FromMinutes(2));
        var (alice, bob) = await chat.FriendsAsync();
        var sent = await chat.SendAsync(alice, bob, "too late");
        chat.Notifier.Clear();
        chat.Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "recall_window_passed", () => chat.Messages.RecallAsync(alice.Id, sent.Id));

        Assert.Empty(chat.Notifier.All);
        Assert.Equal("too late", Assert.Single(await chat.Messages.HistoryAsync(bob.Id, sent.Conversation, null, null)).Body);
    }

    [Fact]
    public async Task RecallOfSomeoneElsesMessageIsForbidden()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var sent = await chat.SendAsync(alice, bob, "mine");

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "not_author", () => chat.Messages.RecallAsync(bob.Id, sent.Id));

        Assert.False(Assert.Single(await chat.Messages.HistoryAsync(bob.Id, sent.Conversation, null, null)).Recalled);
    }

    [Fact]
    public async Task RecallByAStrangerOrOfNothingIsNotFound()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var eve = await chat.UserAsync("eve");
        var sent = await chat.SendAsync(alice, bob, "mine");

        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "message_not_found", () => chat.Messages.RecallAsync(eve.Id, sent.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "message_not_found", () => chat.Messages.RecallAsync(alice.Id, Ids.New()));
    }

    [Fact]
    public async Task RecallingTwiceNotifiesOnce()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var sent = await chat.SendAsync(alice, bob, "bye");
        chat.Notifier.Clear();

        await chat.Messages.RecallAsync(alice.Id, sent.Id);
        var again = await chat.Messages.RecallAsync(alice.Id, sent.Id);

        Assert.True(again.Recalled);
        Assert.Single(chat.Notifier.ToUser<RecalledEvent>(bob.Id));
    }
}
