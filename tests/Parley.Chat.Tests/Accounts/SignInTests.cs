using Parley.Chat.Accounts;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Accounts;

public sealed class SignInTests
{
    [Fact]
    public async Task LoginWithTheRightPasswordReturnsAWorkingToken()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        var signedIn = await chat.Accounts.LoginAsync(" ALICE ", TestChat.Password, "10.0.0.1");

        Assert.Equal(alice.Id, signedIn.User.Id);
        Assert.True(Tokens.IsWellFormed(signedIn.Token));
        Assert.Equal(alice.Id, (await chat.Accounts.AuthenticateAsync(signedIn.Token))?.Id);
    }

    [Fact]
    public async Task LoginWithAWrongPasswordIsUnauthorized()
    {
        await using var chat = await TestChat.StartAsync();
        await chat.UserAsync("alice");

        await ChatAssert.RefusedAsync(ChatErrorKind.Unauthorized, "invalid_credentials",
            () => chat.Accounts.LoginAsync("alice", "wrong password", "10.0.0.1"));
    }

    [Fact]
    public async Task LoginWithAnEmptyPasswordIsUnauthorizedAndCountsAsAFailure()
    {
        await using var chat = await TestChat.StartAsync(o => o.MaxLoginFailures = 1);
        await chat.UserAsync("alice");

        await ChatAssert.RefusedAsync(ChatErrorKind.Unauthorized, "invalid_credentials",
            () => chat.Accounts.LoginAsync("alice", "", "10.0.0.1"));
        await ChatAssert.RefusedAsync(ChatErrorKind.RateLimited, "too_many_attempts",
            () => chat.Accounts.LoginAsync("alice", TestChat.Password, "10.0.0.2"));
    }

    [Fact]
    public async Task LoginAsAnUnknownUserLooksLikeAWrongPassword()
    {
        await using var chat = await TestChat.StartAsync();

        await ChatAssert.RefusedAsync(ChatErrorKind.Unauthorized, "invalid_credentials",
            () => chat.Accounts.LoginAsync("nobody", TestChat.Password, "10.0.0.1"));
        await ChatAssert.RefusedAsync(ChatErrorKind.Unauthorized, "invalid_credentials",
            () => chat.Accounts.LoginAsync(null, null, "10.0.0.1"));
    }

    [Fact]
    public async Task LoginIsThrottledAfterTooManyFailuresEvenWithTheRightPassword()
    {
        await using var chat = await TestChat.StartAsync(o => o.MaxLoginFailures = 3);
        await chat.UserAsync("alice");
        for (var i = 0; i < 3; i++)
        {
            await ChatAssert.RefusedAsync(ChatErrorKind.Unauthorized, "invalid_credentials",
                () => chat.Accounts.LoginAsync("alice", "wrong password", "10.0.0." + i));
        }

        await ChatAssert.RefusedAsync(ChatErrorKind.RateLimited, "too_many_attempts",
            () => chat.Accounts.LoginAsync("alice", TestChat.Password, "10.0.0.9"));
    }

    [Fact]
    public async Task LoginIsThrottledPerAddressAcrossUsernames()
    {
        await using var chat = await TestChat.StartAsync(o => o.MaxLoginFailures = 3);
        await chat.UserAsync("alice");
        foreach (var name in new[] { "bob", "carol", "dave" })
        {
            await ChatAssert.RefusedAsync(ChatErrorKind.Unauthorized, "invalid_credentials",
                () => chat.Accounts.LoginAsync(name, "guess guess", "10.6.6.6"));
        }

        await ChatAssert.RefusedAsync(ChatErrorKind.RateLimited, "too_many_attempts",
            () => chat.Accounts.LoginAsync("alice", TestChat.Password, "10.6.6.6"));
        Assert.Equal("alice", (await chat.Accounts.LoginAsync("alice", TestChat.Password, "10.0.0.1")).User.Username);
    }

    [Fact]
    public async Task ThrottledLoginRecoversAfterTheWindow()
    {
        await using var chat = await TestChat.StartAsync(o =>
        {
            o.MaxLoginFailures = 2;
            o.LoginWindow = TimeSpan.FromMinutes(5);
        });
        await chat.UserAsync("alice");
        for (var i = 0; i < 2; i++)
            await Assert.ThrowsAsync<ChatException>(() => chat.Accounts.LoginAsync("alice", "wrong password", "10.0.0.1"));

        chat.Time.Advance(TimeSpan.FromMinutes(4));
        await ChatAssert.RefusedAsync(ChatErrorKind.RateLimited, "too_many_attempts",
            () => chat.Accounts.LoginAsync("alice", TestChat.Password, "10.0.0.1"));

        chat.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal("alice", (await chat.Accounts.LoginAsync("alice", TestChat.Password, "10.0.0.1")).User.Username);
    }

    [Fact]
    public async Task ASuccessfulLoginForgetsTheUsernamesFailures()
    {
        await using var chat = await TestChat.StartAsync(o => o.MaxLoginFailures = 2);
        await chat.UserAsync("alice");
        await Assert.ThrowsAsync<ChatException>(() => chat.Accounts.LoginAsync("alice", "wrong password", "10.0.0.1"));
        await chat.Accounts.LoginAsync("alice", TestChat.Password, "10.0.0.2");

        await Assert.ThrowsAsync<ChatException>(() => chat.Accounts.LoginAsync("alice", "wrong password", "10.0.0.3"));

        Assert.Equal("alice", (await chat.Accounts.LoginAsync("alice", TestChat.Password, "10.0.0.4")).User.Username);
    }

    [Fact]
    public async Task LogoutRevokesOnlyThatToken()
    {
        await using var chat = await TestChat.StartAsync();
        var registered = await chat.Accounts.RegisterAsync("alice", TestChat.Password, null);
        var second = await chat.Accounts.LoginAsync("alice", TestChat.Password, "10.0.0.1");

        await chat.Accounts.LogoutAsync(registered.Token);

        Assert.Null(await chat.Accounts.AuthenticateAsync(registered.Token));
        Assert.NotNull(await chat.Accounts.AuthenticateAsync(second.Token));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task AMalformedOrUnknownTokenAuthenticatesNobody(string? token)
    {
        await using var chat = await TestChat.StartAsync();
        await chat.UserAsync("alice");

        Assert.Null(await chat.Accounts.AuthenticateAsync(token));
        await chat.Accounts.LogoutAsync(token ?? "");
    }

    [Fact]
    public async Task ChangingThePasswordRevokesEveryTokenAndReturnsAWorkingNewOne()
    {
        await using var chat = await TestChat.StartAsync();
        var registered = await chat.Accounts.RegisterAsync("alice", TestChat.Password, null);
        var other = await chat.Accounts.LoginAsync("alice", TestChat.Password, "10.0.0.1");

        var fresh = await chat.Accounts.ChangePasswordAsync(registered.User.Id, TestChat.Password, "a brand new secret");

        Assert.Null(await chat.Accounts.AuthenticateAsync(registered.Token));
        Assert.Null(await chat.Accounts.AuthenticateAsync(other.Token));
        Assert.Equal(registered.User.Id, (await chat.Accounts.AuthenticateAsync(fresh))?.Id);
        await ChatAssert.RefusedAsync(ChatErrorKind.Unauthorized, "invalid_credentials",
            () => chat.Accounts.LoginAsync("alice", TestChat.Password, "10.0.0.1"));
        Assert.Equal(registered.User.Id, (await chat.Accounts.LoginAsync("alice", "a brand new secret", "10.0.0.1")).User.Id);
    }

    [Fact]
    public async Task ChangingThePasswordNeedsTheCurrentOne()
    {
        await using var chat = await TestChat.StartAsync();
        var registered = await chat.Accounts.RegisterAsync("alice", TestChat.Password, null);

        await ChatAssert.RefusedAsync(ChatErrorKind.Unauthorized, "invalid_credentials",
            () => chat.Accounts.ChangePasswordAsync(registered.User.Id, "not the password", "a brand new secret"));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "password_invalid",
            () => chat.Accounts.ChangePasswordAsync(registered.User.Id, TestChat.Password, "short"));

        Assert.NotNull(await chat.Accounts.AuthenticateAsync(registered.Token));
    }
}
