using Parley.Chat.Accounts;

namespace Parley.Chat.Tests.Storage;

public abstract partial class ChatStoreSpecification
{
    [Fact]
    public async Task ACreatedUserIsFoundByIdAndByUsername()
    {
        var user = new User(Ids.New(), "alice", "Alice", "busy", PublicPresence: true, At(1));

        Assert.True(await Store.Users.CreateUserAsync(user, "hash"));

        Assert.Equal(user, await Store.Users.GetUserAsync(user.Id));
        Assert.Equal(user, await Store.Users.FindByUsernameAsync("alice"));
        Assert.Equal("hash", await Store.Users.GetPasswordHashAsync(user.Id));
    }

    [Fact]
    public async Task AUsernameCanBeTakenOnlyOnceWhateverItsCase()
    {
        var first = await NewUserAsync("alice");

        Assert.False(await Store.Users.CreateUserAsync(new User(Ids.New(), "alice", "Other", "", false, At(2)), "h"));
        Assert.False(await Store.Users.CreateUserAsync(new User(Ids.New(), "ALICE", "Other", "", false, At(2)), "h"));

        Assert.Equal(first, await Store.Users.FindByUsernameAsync("alice"));
        Assert.Single(await Store.Users.SearchUsersAsync("alice", 10));
    }

    [Fact]
    public async Task UnknownUsersAreNull()
    {
        Assert.Null(await Store.Users.GetUserAsync("nobody"));
        Assert.Null(await Store.Users.FindByUsernameAsync("nobody"));
        Assert.Null(await Store.Users.GetPasswordHashAsync("nobody"));
        Assert.Null(await Store.Users.UpdateProfileAsync("nobody", new ProfileUpdate(DisplayName: "x")));
    }

    [Fact]
    public async Task GetUsersReturnsOnlyTheUsersThatExist()
    {
        var alice = await NewUserAsync("alice");
        var bob = await NewUserAsync("bob");
        await NewUserAsync("carol");

        var found = await Store.Users.GetUsersAsync([bob.Id, "nobody", alice.Id]);

        Assert.Equal([alice, bob], found.OrderBy(u => u.Username, StringComparer.Ordinal));
        Assert.Empty(await Store.Users.GetUsersAsync([]));
    }

    [Fact]
    public async Task SearchMatchesAUsernamePrefixOrADisplayNameInfixIgnoringAsciiCase()
    {
        var alice = await NewUserAsync("alice", "Liddell");
        await NewUserAsync("bob", "Bobby");
        var carol = await NewUserAsync("carol", "Caroline ALIson");
        await NewUserAsync("natalia", "Nat");
        var wang = await NewUserAsync("wang", "王小明");

        Assert.Equal([alice, carol], await Store.Users.SearchUsersAsync("ali", 10));
        Assert.Equal([alice, carol], await Store.Users.SearchUsersAsync("ALI", 10));
        Assert.Equal([alice], await Store.Users.SearchUsersAsync("ali", 1));
        Assert.Equal([wang], await Store.Users.SearchUsersAsync("小明", 10));
        Assert.Empty(await Store.Users.SearchUsersAsync("%", 10));
        Assert.Empty(await Store.Users.SearchUsersAsync("zzz", 10));
    }

    [Fact]
    public async Task APasswordHashCanBeReplaced()
    {
        var alice = await NewUserAsync("alice");

        await Store.Users.SetPasswordHashAsync(alice.Id, "new-hash");

        Assert.Equal("new-hash", await Store.Users.GetPasswordHashAsync(alice.Id));
    }

    [Fact]
    public async Task UpdatingAProfileChangesOnlyTheGivenFields()
    {
        var alice = await NewUserAsync("alice", "Alice");

        var renamed = await Store.Users.UpdateProfileAsync(alice.Id, new ProfileUpdate(DisplayName: "Alice L."));
        var published = await Store.Users.UpdateProfileAsync(alice.Id, new ProfileUpdate(StatusMessage: "away", PublicPresence: true));

        Assert.Equal(alice with { DisplayName = "Alice L." }, renamed);
        var expected = alice with { DisplayName = "Alice L.", StatusMessage = "away", PublicPresence = true };
        Assert.Equal(expected, published);
        Assert.Equal(expected, await Store.Users.GetUserAsync(alice.Id));
    }

    [Fact]
    public async Task LastSeenIsRecorded()
    {
        var alice = await NewUserAsync("alice");

        await Store.Users.SetLastSeenAsync(alice.Id, At(60));

        Assert.Equal(At(60), (await Store.Users.GetUserAsync(alice.Id))!.LastSeen);
    }

    [Fact]
    public async Task ATokenResolvesToItsUserUntilRevoked()
    {
        var alice = await NewUserAsync("alice");
        await Store.Users.AddTokenAsync("token-1", alice.Id, At(1));
        await Store.Users.AddTokenAsync("token-2", alice.Id, At(2));

        Assert.Equal(alice.Id, await Store.Users.GetTokenUserAsync("token-1"));
        Assert.Null(await Store.Users.GetTokenUserAsync("unknown"));

        await Store.Users.RevokeTokenAsync("token-1");
        await Store.Users.RevokeTokenAsync("unknown");

        Assert.Null(await Store.Users.GetTokenUserAsync("token-1"));
        Assert.Equal(alice.Id, await Store.Users.GetTokenUserAsync("token-2"));
    }

    [Fact]
    public async Task RevokingAllTokensOfAUserLeavesOtherUsersTokens()
    {
        var alice = await NewUserAsync("alice");
        var bob = await NewUserAsync("bob");
        await Store.Users.AddTokenAsync("a1", alice.Id, At(1));
        await Store.Users.AddTokenAsync("a2", alice.Id, At(1));
        await Store.Users.AddTokenAsync("b1", bob.Id, At(1));

        await Store.Users.RevokeAllTokensAsync(alice.Id);

        Assert.Null(await Store.Users.GetTokenUserAsync("a1"));
        Assert.Null(await Store.Users.GetTokenUserAsync("a2"));
        Assert.Equal(bob.Id, await Store.Users.GetTokenUserAsync("b1"));
    }

    [Fact]
    public async Task AWriteWithAnAlreadyCancelledTokenIsNotApplied()
    {
        var user = new User(Ids.New(), "alice", "Alice", "", false, At(0));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Store.Users.CreateUserAsync(user, "hash", new CancellationToken(canceled: true)));

        Assert.Null(await Store.Users.GetUserAsync(user.Id));
    }
}
