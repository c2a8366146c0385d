using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Friends;

public sealed class BlockTests
{
    [Fact]
    public async Task BlockingIsListedAndOneSidedUntilUnblocked()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");

        await chat.Friends.BlockAsync(alice.Id, bob.Id);
        await chat.Friends.BlockAsync(alice.Id, bob.Id);

        Assert.Equal([bob.Id], await chat.Friends.BlockedAsync(alice.Id));
        Assert.Empty(await chat.Friends.BlockedAsync(bob.Id));
        Assert.True(await chat.Friends.IsBlockedEitherWayAsync(alice.Id, bob.Id));
        Assert.True(await chat.Friends.IsBlockedEitherWayAsync(bob.Id, alice.Id));

        await chat.Friends.UnblockAsync(alice.Id, bob.Id);

        Assert.Empty(await chat.Friends.BlockedAsync(alice.Id));
        Assert.False(await chat.Friends.IsBlockedEitherWayAsync(alice.Id, bob.Id));
        await chat.Friends.RequestAsync(bob.Id, "alice", null);
    }

    [Fact]
    public async Task UnblockingSomeoneNotBlockedIsNotFound()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");

        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "not_blocked", () => chat.Friends.UnblockAsync(alice.Id, bob.Id));
    }

    [Fact]
    public async Task BlockingOneselfOrNobodyIsRefused()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "cannot_block_self", () => chat.Friends.BlockAsync(alice.Id, alice.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "user_not_found", () => chat.Friends.BlockAsync(alice.Id, Ids.New()));
    }

    [Fact]
    public async Task BlockingAndUnblockingAFriendIsRaisedForPresence()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var changes = new List<(string, string, bool)>();
        chat.Friends.FriendshipChanged += (a, b, visible) =>
        {
            changes.Add((a, b, visible));
            return ValueTask.CompletedTask;
        };

        await chat.Friends.BlockAsync(alice.Id, bob.Id);
        await chat.Friends.UnblockAsync(alice.Id, bob.Id);

        Assert.Equal([(alice.Id, bob.Id, false), (alice.Id, bob.Id, true)], changes);
        Assert.True(await chat.Friends.AreFriendsAsync(alice.Id, bob.Id));
    }
}
