using Parley.Chat.Friends;
using Parley.Chat.Notifications;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Friends;

public sealed class FriendRequestTests
{
    [Fact]
    public async Task ARequestByUsernameIsPendingAndTheRecipientHearsOfItWithTheNote()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice", "爱丽丝");
        var bob = await chat.UserAsync("bob");

        var request = await chat.Friends.RequestAsync(alice.Id, " BOB ", "  你好，我是爱丽丝 👋 ");

        Assert.Equal((alice.Id, bob.Id, "你好，我是爱丽丝 👋", FriendRequestStatus.Pending), (request.From, request.To, request.Note, request.Status));
        Assert.Equal([request], await chat.Friends.PendingAsync(bob.Id));
        Assert.Equal([request], await chat.Friends.PendingAsync(alice.Id));
        var heard = Assert.Single(chat.Notifier.ToUser<FriendRequestEvent>(bob.Id));
        Assert.Equal(new FriendRequestEvent(request.Id, alice.Id, "alice", "爱丽丝", "你好，我是爱丽丝 👋", TestChat.Start.ToUnixTimeMilliseconds()), heard);
        Assert.Empty(chat.Notifier.EventsOf(alice.Id));
        Assert.False(await chat.Friends.AreFriendsAsync(alice.Id, bob.Id));
    }

    [Fact]
    public async Task ARequestByUserIdWorksToo()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");

        var request = await chat.Friends.RequestAsync(alice.Id, bob.Id, null);

        Assert.Equal(bob.Id, request.To);
        Assert.Equal("", request.Note);
    }

    [Fact]
    public async Task ARequestToNobodyIsNotFound()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "user_not_found", () => chat.Friends.RequestAsync(alice.Id, "nobody", null));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "user_not_found", () => chat.Friends.RequestAsync(alice.Id, "", null));
    }

    [Fact]
    public async Task ANoteTooLongOrWithControlCharactersIsInvalid()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        await chat.UserAsync("bob");

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "note_invalid", () => chat.Friends.RequestAsync(alice.Id, "bob", new string('n', 201)));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "note_invalid", () => chat.Friends.RequestAsync(alice.Id, "bob", "hi\u0000"));
    }

    [Fact]
    public async Task AcceptingMakesBothFriendsAndBothHearOfIt()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice", "Alice A.");
        var bob = await chat.UserAsync("bob", "鲍勃");
        var request = await chat.Friends.RequestAsync(alice.Id, "bob", null);
        chat.Notifier.Clear();

        await chat.Friends.AcceptAsync(bob.Id, request.Id);

        Assert.True(await chat.Friends.AreFriendsAsync(alice.Id, bob.Id));
        Assert.True(await chat.Friends.AreFriendsAsync(bob.Id, alice.Id));
        Assert.Equal([new FriendAcceptedEvent(request.Id, bob.Id, "bob", "鲍勃")], chat.Notifier.EventsOf(alice.Id));
        Assert.Equal([new FriendAcceptedEvent(request.Id, alice.Id, "alice", "Alice A.")], chat.Notifier.EventsOf(bob.Id));
        Assert.Empty(await chat.Friends.PendingAsync(bob.Id));
        var (friend, user) = Assert.Single(await chat.Friends.ListAsync(alice.Id));
        Assert.Equal((bob.Id, bob.Id, (string?)null), (friend.UserId, user.Id, friend.CategoryId));
    }

    [Fact]
    public async Task OnlyTheRecipientCanAccept()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        await chat.UserAsync("bob");
        var carol = await chat.UserAsync("carol");
        var request = await chat.Friends.RequestAsync(alice.Id, "bob", null);

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "not_recipient", () => chat.Friends.AcceptAsync(alice.Id, request.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "not_recipient", () => chat.Friends.AcceptAsync(carol.Id, request.Id));
        Assert.Single(await chat.Friends.PendingAsync(alice.Id));
    }

    [Fact]
    public async Task TheRecipientDeclinesAndTheSenderHearsOfIt()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var request = await chat.Friends.RequestAsync(alice.Id, "bob", null);
        chat.Notifier.Clear();

        await chat.Friends.DeclineAsync(bob.Id, request.Id);

        Assert.Equal([new FriendRequestClosedEvent(request.Id, "declined")], chat.Notifier.EventsOf(alice.Id));
        Assert.Empty(chat.Notifier.EventsOf(bob.Id));
        Assert.Empty(await chat.Friends.PendingAsync(alice.Id));
        Assert.Equal(FriendRequestStatus.Declined, (await chat.Store.Friends.GetRequestAsync(request.Id))?.Status);
        Assert.False(await chat.Friends.AreFriendsAsync(alice.Id, bob.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "request_not_found", () => chat.Friends.AcceptAsync(bob.Id, request.Id));
    }

    [Fact]
    public async Task OnlyTheRecipientCanDecline()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        await chat.UserAsync("bob");
        var carol = await chat.UserAsync("carol");
        var request = await chat.Friends.RequestAsync(alice.Id, "bob", null);

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "not_recipient", () => chat.Friends.DeclineAsync(alice.Id, request.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "not_recipient", () => chat.Friends.DeclineAsync(carol.Id, request.Id));
    }

    [Fact]
    public async Task TheSenderCancelsAndTheRecipientHearsOfIt()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var request = await chat.Friends.RequestAsync(alice.Id, "bob", null);
        chat.Notifier.Clear();

        await chat.Friends.CancelAsync(alice.Id, request.Id);

        Assert.Equal([new FriendRequestClosedEvent(request.Id, "cancelled")], chat.Notifier.EventsOf(bob.Id));
        Assert.Empty(await chat.Friends.PendingAsync(bob.Id));
        Assert.Equal(FriendRequestStatus.Cancelled, (await chat.Store.Friends.GetRequestAsync(request.Id))?.Status);
    }

    [Fact]
    public async Task OnlyTheSenderCanCancel()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var carol = await chat.UserAsync("carol");
        var request = await chat.Friends.RequestAsync(alice.Id, "bob", null);

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "not_sender", () => chat.Friends.CancelAsync(bob.Id, request.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "not_sender", () => chat.Friends.CancelAsync(carol.Id, request.Id));
    }

    [Fact]
    public async Task AMutualRequestAcceptsTheEarlierOne()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var first = await chat.Friends.RequestAsync(alice.Id, "bob", null);
        chat.Notifier.Clear();

        var second = await chat.Friends.RequestAsync(bob.Id, "alice", null);

        Assert.Equal((first.Id, FriendRequestStatus.Accepted), (second.Id, second.Status));
        Assert.True(await chat.Friends.AreFriendsAsync(alice.Id, bob.Id));
        Assert.Equal(["friend-accepted"], chat.Notifier.TypesTo(alice.Id));
        Assert.Equal(["friend-accepted"], chat.Notifier.TypesTo(bob.Id));
        Assert.Empty(await chat.Friends.PendingAsync(alice.Id));
    }

    [Fact]
    public async Task ASecondPendingRequestIsAConflict()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        await chat.UserAsync("bob");
        await chat.Friends.RequestAsync(alice.Id, "bob", null);

        await ChatAssert.RefusedAsync(ChatErrorKind.Conflict, "request_pending", () => chat.Friends.RequestAsync(alice.Id, "bob", "again?"));
    }

    [Fact]
    public async Task ARequestToAFriendIsAConflict()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, _) = await chat.FriendsAsync();

        await ChatAssert.RefusedAsync(ChatErrorKind.Conflict, "already_friends", () => chat.Friends.RequestAsync(alice.Id, "bob", null));
    }

    [Fact]
    public async Task ARequestToOneselfIsInvalid()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "cannot_befriend_self", () => chat.Friends.RequestAsync(alice.Id, "alice", null));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "cannot_befriend_self", () => chat.Friends.RequestAsync(alice.Id, alice.Id, null));
    }

    [Fact]
    public async Task ARequestToSomeoneWhoBlockedTheSenderIsForbidden()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        await chat.Friends.BlockAsync(bob.Id, alice.Id);

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "blocked", () => chat.Friends.RequestAsync(alice.Id, "bob", null));
        Assert.Empty(chat.Notifier.EventsOf(bob.Id));
    }

    [Fact]
    public async Task ARequestToSomeoneTheSenderBlockedIsForbidden()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        await chat.Friends.BlockAsync(alice.Id, bob.Id);

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "blocked", () => chat.Friends.RequestAsync(alice.Id, "bob", null));
    }

    [Fact]
    public async Task RemovingAFriendEndsItBothWaysAndBothHearOfIt()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        await chat.Friends.RemoveAsync(alice.Id, bob.Id);

        Assert.False(await chat.Friends.AreFriendsAsync(alice.Id, bob.Id));
        Assert.False(await chat.Friends.AreFriendsAsync(bob.Id, alice.Id));
        Assert.Equal([new FriendRemovedEvent(alice.Id)], chat.Notifier.EventsOf(bob.Id));
        Assert.Equal([new FriendRemovedEvent(bob.Id)], chat.Notifier.EventsOf(alice.Id));
        Assert.Empty(await chat.Friends.ListAsync(bob.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "not_friends", () => chat.Friends.RemoveAsync(bob.Id, alice.Id));
    }

    [Fact]
    public async Task FriendshipChangesAreRaisedForPresence()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var changes = new List<(string, string, bool)>();
        chat.Friends.FriendshipChanged += (a, b, visible) =>
        {
            changes.Add((a, b, visible));
            return ValueTask.CompletedTask;
        };

        await chat.BefriendAsync(alice, bob);
        await chat.Friends.RemoveAsync(bob.Id, alice.Id);

        Assert.Equal([(alice.Id, bob.Id, true), (bob.Id, alice.Id, false)], changes);
    }
}
