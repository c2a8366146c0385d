using Parley.Chat.Notifications;
using Parley.Chat.Presence;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Presence;

public sealed class PresenceServiceTests
{
    private static readonly TimeSpan Coalesce = new ChatOptions().PresenceCoalesce;

    [Fact]
    public async Task AFriendHearsASessionStartOnceAfterTheCoalesceDelay()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        chat.Presence.SessionStarted(alice.Id, "s1");
        chat.Time.Advance(Coalesce - TimeSpan.FromMilliseconds(1));
        Assert.Empty(chat.Notifier.All);

        chat.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([new PresenceEvent(alice.Id, "online", null)], chat.Notifier.EventsOf(bob.Id));
        Assert.Equal([new PresenceEvent(alice.Id, "online", null)], chat.Notifier.EventsOf(alice.Id));

        chat.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Single(chat.Notifier.EventsOf(bob.Id));
    }

    [Fact]
    public async Task SeveralQuickChangesCoalesceIntoOnePush()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        chat.Presence.SessionStarted(alice.Id, "s1");
        await chat.Presence.SetStatusAsync(alice.Id, "s1", PresenceStatus.Away);
        await chat.Presence.SetStatusAsync(alice.Id, "s1", PresenceStatus.Online);
        chat.Presence.SessionStarted(alice.Id, "s2", PresenceStatus.Busy);
        await chat.Presence.SetStatusAsync(alice.Id, "s1", PresenceStatus.Busy);
        chat.Time.Advance(Coalesce);

        Assert.Equal([new PresenceEvent(alice.Id, "busy", null)], chat.Notifier.EventsOf(bob.Id));
    }

    [Fact]
    public async Task AFlappingConnectionCostsNoPush()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        chat.Presence.SessionStarted(alice.Id, "s1");
        chat.Time.Advance(TimeSpan.FromMilliseconds(100));
        chat.Presence.SessionEnded(alice.Id, "s1");
        chat.Time.Advance(Coalesce);

        Assert.Empty(chat.Notifier.All);
        Assert.Equal(PresenceStatus.Offline, await chat.Presence.OwnStatusAsync(alice.Id));
    }

    [Fact]
    public async Task RepeatingTheCurrentStatusPushesNothing()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        chat.Presence.SessionStarted(alice.Id, "s1");
        chat.Time.Advance(Coalesce);

        chat.Presence.SessionStarted(alice.Id, "s1");
        await chat.Presence.SetStatusAsync(alice.Id, "s1", PresenceStatus.Online);
        chat.Time.Advance(Coalesce);

        Assert.Single(chat.Notifier.EventsOf(bob.Id));
    }

    [Fact]
    public async Task TheMostAvailableSessionWins()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        chat.Presence.SessionStarted(alice.Id, "phone", PresenceStatus.Busy);
        chat.Presence.SessionStarted(alice.Id, "desk", PresenceStatus.Away);
        chat.Time.Advance(Coalesce);
        Assert.Equal(PresenceStatus.Away, await chat.Presence.OwnStatusAsync(alice.Id));

        chat.Presence.SessionEnded(alice.Id, "desk");
        chat.Time.Advance(Coalesce);
        Assert.Equal(PresenceStatus.Busy, await chat.Presence.OwnStatusAsync(alice.Id));

        chat.Presence.SessionStarted(alice.Id, "laptop");
        chat.Time.Advance(Coalesce);

        Assert.Equal(["away", "busy", "online"], chat.Notifier.ToUser<PresenceEvent>(bob.Id).Select(p => p.Status));
        Assert.Equal(PresenceStatus.Online, await chat.Presence.VisibleStatusAsync(alice.Id));
    }

    [Fact]
    public async Task InvisibleLooksOfflineToFriendsButTheUserHearsInvisible()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        chat.Presence.SessionStarted(alice.Id, "s1");
        chat.Time.Advance(Coalesce);
        chat.Notifier.Clear();

        await chat.Presence.SetStatusAsync(alice.Id, "s1", PresenceStatus.Invisible);
        chat.Time.Advance(Coalesce);

        Assert.Equal(["offline"], chat.Notifier.ToUser<PresenceEvent>(bob.Id).Select(p => p.Status));
        Assert.Equal(["invisible"], chat.Notifier.ToUser<PresenceEvent>(alice.Id).Select(p => p.Status));
        Assert.Equal(PresenceStatus.Invisible, await chat.Presence.OwnStatusAsync(alice.Id));
        Assert.Equal(PresenceStatus.Offline, await chat.Presence.VisibleStatusAsync(alice.Id));
        Assert.Equal(PresenceStatus.Offline, await chat.Presence.StatusForAsync(alice.Id, bob.Id));
        Assert.Equal(PresenceStatus.Invisible, await chat.Presence.StatusForAsync(alice.Id, alice.Id));
    }

    [Fact]
    public async Task GoingInvisibleLooksExactlyLikeSigningOutToFriends()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var carol = await chat.UserAsync("carol");
        await chat.BefriendAsync(carol, bob);
        chat.Presence.SessionStarted(alice.Id, "s1");
        chat.Presence.SessionStarted(carol.Id, "s1");
        chat.Time.Advance(Coalesce);
        chat.Notifier.Clear();

        await chat.Presence.SetStatusAsync(alice.Id, "s1", PresenceStatus.Invisible);
        chat.Presence.SessionEnded(carol.Id, "s1");
        chat.Time.Advance(Coalesce);

        var invisible = Assert.Single(chat.Notifier.ToUser<PresenceEvent>(bob.Id), p => p.User == alice.Id);
        var offline = Assert.Single(chat.Notifier.ToUser<PresenceEvent>(bob.Id), p => p.User == carol.Id);
        Assert.Equal(offline with { User = alice.Id }, invisible);
    }

    [Fact]
    public async Task AConnectedSessionAskingForOfflineGoesInvisible()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        chat.Presence.SessionStarted(alice.Id, "s1", PresenceStatus.Offline);
        Assert.Equal(PresenceStatus.Online, await chat.Presence.OwnStatusAsync(alice.Id));
        await chat.Presence.SetStatusAsync(alice.Id, "s1", PresenceStatus.Offline);

        Assert.Equal(PresenceStatus.Invisible, await chat.Presence.OwnStatusAsync(alice.Id));
        Assert.Equal(PresenceStatus.Offline, await chat.Presence.StatusForAsync(alice.Id, bob.Id));
    }

    [Fact]
    public async Task StrangersAndBlockedFriendsHearNothing()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var carol = await chat.UserAsync("carol");
        var dave = await chat.UserAsync("dave");
        var erin = await chat.UserAsync("erin");
        await chat.BefriendAsync(alice, carol);
        await chat.BefriendAsync(erin, alice);
        await chat.Friends.BlockAsync(alice.Id, carol.Id);
        await chat.Friends.BlockAsync(erin.Id, alice.Id);
        chat.Notifier.Clear();

        chat.Presence.SessionStarted(alice.Id, "s1");
        chat.Time.Advance(Coalesce);

        Assert.Single(chat.Notifier.EventsOf(bob.Id));
        Assert.Empty(chat.Notifier.EventsOf(carol.Id));
        Assert.Empty(chat.Notifier.EventsOf(dave.Id));
        Assert.Empty(chat.Notifier.EventsOf(erin.Id));

        chat.Presence.SessionStarted(carol.Id, "s1");
        chat.Presence.SessionStarted(erin.Id, "s1");
        chat.Presence.SessionStarted(dave.Id, "s1");
        chat.Time.Advance(Coalesce);

        Assert.DoesNotContain(chat.Notifier.EventsOf(alice.Id), e => e is PresenceEvent p && p.User != alice.Id);
    }

    [Fact]
    public async Task TheLastSessionEndingMeansOfflineWithLastSeen()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        chat.Presence.SessionStarted(alice.Id, "tab1");
        chat.Presence.SessionStarted(alice.Id, "tab2");
        chat.Time.Advance(Coalesce);
        chat.Notifier.Clear();

        chat.Presence.SessionEnded(alice.Id, "tab1");
        chat.Time.Advance(Coalesce);
        Assert.Empty(chat.Notifier.All);
        Assert.Null((await chat.Accounts.GetUserAsync(alice.Id)).LastSeen);

        chat.Time.Advance(TimeSpan.FromMinutes(1));
        var endedAt = chat.Time.GetUtcNow();
        chat.Presence.SessionEnded(alice.Id, "tab2");
        chat.Time.Advance(Coalesce);

        var heard = Assert.Single(chat.Notifier.ToUser<PresenceEvent>(bob.Id));
        Assert.Equal((alice.Id, "offline"), (heard.User, heard.Status));
        Assert.NotNull(heard.LastSeen);
        Assert.InRange(heard.LastSeen.Value, endedAt.ToUnixTimeMilliseconds(), (endedAt + Coalesce).ToUnixTimeMilliseconds());
        Assert.Equal(endedAt, (await chat.Accounts.GetUserAsync(alice.Id)).LastSeen);
        Assert.Equal(PresenceStatus.Offline, await chat.Presence.OwnStatusAsync(alice.Id));
    }

    [Fact]
    public async Task EndingAnUnknownSessionChangesNothing()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, _) = await chat.FriendsAsync();
        chat.Presence.SessionStarted(alice.Id, "s1");
        chat.Time.Advance(Coalesce);
        chat.Notifier.Clear();

        chat.Presence.SessionEnded(alice.Id, "nope");
        chat.Presence.SessionEnded("nobody", "s1");
        chat.Time.Advance(Coalesce);

        Assert.Empty(chat.Notifier.All);
        Assert.Equal(PresenceStatus.Online, await chat.Presence.OwnStatusAsync(alice.Id));
        Assert.Null((await chat.Accounts.GetUserAsync(alice.Id)).LastSeen);
    }

    [Fact]
    public async Task StatusForShowsFriendsOnlyAndHidesAcrossBlocks()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var stranger = await chat.UserAsync("stranger");
        chat.Presence.SessionStarted(alice.Id, "s1", PresenceStatus.Away);

        Assert.Equal(PresenceStatus.Away, await chat.Presence.StatusForAsync(alice.Id, bob.Id));
        Assert.Equal(PresenceStatus.Away, await chat.Presence.StatusForAsync(alice.Id, alice.Id));
        Assert.Equal(PresenceStatus.Offline, await chat.Presence.StatusForAsync(alice.Id, stranger.Id));
        Assert.Equal(PresenceStatus.Offline, await chat.Presence.StatusForAsync(bob.Id, alice.Id));

        await chat.Friends.BlockAsync(bob.Id, alice.Id);
        Assert.Equal(PresenceStatus.Offline, await chat.Presence.StatusForAsync(alice.Id, bob.Id));
        await chat.Friends.UnblockAsync(bob.Id, alice.Id);
        await chat.Friends.BlockAsync(alice.Id, bob.Id);
        Assert.Equal(PresenceStatus.Offline, await chat.Presence.StatusForAsync(alice.Id, bob.Id));
    }

    [Fact]
    public async Task BefriendingAndBlockingTellBothSidesWhatTheyMayNowSee()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        chat.Friends.FriendshipChanged += chat.Presence.RelationChangedAsync;
        chat.Presence.SessionStarted(alice.Id, "s1", PresenceStatus.Busy);
        chat.Time.Advance(Coalesce);
        chat.Notifier.Clear();

        var request = await chat.Friends.RequestAsync(bob.Id, "alice", null);
        await chat.Friends.AcceptAsync(alice.Id, request.Id);

        Assert.Equal([new PresenceEvent(alice.Id, "busy", null)], chat.Notifier.ToUser<PresenceEvent>(bob.Id));
        Assert.Equal([new PresenceEvent(bob.Id, "offline", null)], chat.Notifier.ToUser<PresenceEvent>(alice.Id));

        chat.Notifier.Clear();
        await chat.Friends.BlockAsync(bob.Id, alice.Id);

        Assert.Equal([new PresenceEvent(alice.Id, "offline", null)], chat.Notifier.ToUser<PresenceEvent>(bob.Id));
    }
}
