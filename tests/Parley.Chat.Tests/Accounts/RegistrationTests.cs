using Parley.Chat.Accounts;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Accounts;

public sealed class RegistrationTests
{
    [Fact]
    public async Task RegisterNormalizesTheUsernameAndSignsIn()
    {
        await using var chat = await TestChat.StartAsync();

        var signedIn = await chat.Accounts.RegisterAsync("  Alice.Smith ", TestChat.Password, null);

        Assert.Equal("alice.smith", signedIn.User.Username);
        Assert.Equal("alice.smith", signedIn.User.DisplayName);
        Assert.Equal(signedIn.User, await chat.Store.Users.FindByUsernameAsync("alice.smith"));
        Assert.Equal(signedIn.User.Id, (await chat.Accounts.AuthenticateAsync(signedIn.Token))?.Id);
    }

    [Fact]
    public async Task RegisterRefusesATakenUsernameWhateverItsCase()
    {
        await using var chat = await TestChat.StartAsync();
        await chat.Accounts.RegisterAsync("alice", TestChat.Password, null);

        await ChatAssert.RefusedAsync(ChatErrorKind.Conflict, "username_taken",
            () => chat.Accounts.RegisterAsync(" ALICE ", "another password", null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("_alice")]
    [InlineData(".alice")]
    [InlineData("al ice")]
    [InlineData("alice!")]
    [InlineData("élise")]
    [InlineData("张伟")]
    [InlineData("a234567890123456789012345678901234")]
    public async Task RegisterRefusesABadUsername(string? username)
    {
        await using var chat = await TestChat.StartAsync();

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "username_invalid",
            () => chat.Accounts.RegisterAsync(username, TestChat.Password, null));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("a_b.c-d")]
    [InlineData("007")]
    [InlineData("a2345678901234567890123456789012")]
    public async Task RegisterAcceptsAGoodUsername(string username)
    {
        await using var chat = await TestChat.StartAsync();

        var signedIn = await chat.Accounts.RegisterAsync(username, TestChat.Password, null);

        Assert.Equal(username, signedIn.User.Username);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("1234567")]
    public async Task RegisterRefusesAShortOrMissingPassword(string? password)
    {
        await using var chat = await TestChat.StartAsync();

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "password_invalid",
            () => chat.Accounts.RegisterAsync("alice", password, null));
        Assert.Null(await chat.Store.Users.FindByUsernameAsync("alice"));
    }

    [Fact]
    public async Task RegisterRefusesAPasswordLongerThan128Characters()
    {
        await using var chat = await TestChat.StartAsync();

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "password_invalid",
            () => chat.Accounts.RegisterAsync("alice", new string('p', 129), null));
        Assert.Equal("alice", (await chat.Accounts.RegisterAsync("alice", new string('p', 128), null)).User.Username);
    }

    [Theory]
    [InlineData("bell\u0007")]
    [InlineData("two\nlines")]
    [InlineData("tab\there")]
    public async Task RegisterRefusesADisplayNameWithControlCharacters(string displayName)
    {
        await using var chat = await TestChat.StartAsync();

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "display_name_invalid",
            () => chat.Accounts.RegisterAsync("alice", TestChat.Password, displayName));
    }

    [Fact]
    public async Task RegisterRefusesADisplayNameLongerThan64Characters()
    {
        await using var chat = await TestChat.StartAsync();

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "display_name_invalid",
            () => chat.Accounts.RegisterAsync("alice", TestChat.Password, new string('x', 65)));
    }

    [Theory]
    [InlineData("张伟")]
    [InlineData("小纸条 🐼✨")]
    [InlineData("Zoë 👩🏽‍💻")]
    public async Task RegisterKeepsChineseAndEmojiDisplayNames(string displayName)
    {
        await using var chat = await TestChat.StartAsync();

        var signedIn = await chat.Accounts.RegisterAsync("alice", TestChat.Password, "  " + displayName + " ");

        Assert.Equal(displayName, signedIn.User.DisplayName);
        Assert.Equal(displayName, (await chat.Accounts.GetUserAsync(signedIn.User.Id)).DisplayName);
    }

    [Fact]
    public async Task TheStoredPasswordHashIsArgon2idAndNeverThePassword()
    {
        await using var chat = await TestChat.StartAsync();

        var user = await chat.UserAsync("alice");

        var hash = await chat.Store.Users.GetPasswordHashAsync(user.Id);
        Assert.NotNull(hash);
        Assert.StartsWith("$argon2id$v=19$m=1024,t=1,p=1$", hash, StringComparison.Ordinal);
        Assert.DoesNotContain(TestChat.Password, hash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify(TestChat.Password, hash));
    }

    [Fact]
    public async Task TwoUsersWithTheSamePasswordGetDifferentHashes()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");

        Assert.NotEqual(
            await chat.Store.Users.GetPasswordHashAsync(alice.Id),
            await chat.Store.Users.GetPasswordHashAsync(bob.Id));
    }

    [Fact]
    public async Task UsersAreResolvedByIdOrByUsernameInAnyCase()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        Assert.Equal(alice.Id, (await chat.Accounts.ResolveAsync(alice.Id))?.Id);
        Assert.Equal(alice.Id, (await chat.Accounts.ResolveAsync(" Alice "))?.Id);
        Assert.Null(await chat.Accounts.ResolveAsync("nobody"));
        Assert.Null(await chat.Accounts.ResolveAsync("  "));
    }

    [Fact]
    public async Task ProfileUpdatesCleanTheirFieldsAndRefuseBadOnes()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        var updated = await chat.Accounts.UpdateProfileAsync(alice.Id, new ProfileUpdate(" 爱丽丝 🌸 ", " 忙碌中 ", true));

        Assert.Equal(("爱丽丝 🌸", "忙碌中", true), (updated.DisplayName, updated.StatusMessage, updated.PublicPresence));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "status_message_invalid",
            () => chat.Accounts.UpdateProfileAsync(alice.Id, new ProfileUpdate(StatusMessage: new string('s', 141))));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "display_name_invalid",
            () => chat.Accounts.UpdateProfileAsync(alice.Id, new ProfileUpdate(DisplayName: " ")));
    }
}
