using Parley.Chat.Accounts;

namespace Parley.Chat.Tests.Accounts;

public sealed class PasswordHasherTests
{
    private readonly PasswordHasher _hasher = new(memoryKiB: 1024, iterations: 1);

    [Fact]
    public void AHashVerifiesItsPasswordAndNoOther()
    {
        var hash = _hasher.Hash("密码 and 🔑 too");

        Assert.True(PasswordHasher.Verify("密码 and 🔑 too", hash));
        Assert.False(PasswordHasher.Verify("密码 and 🔑 to", hash));
        Assert.False(PasswordHasher.Verify("", hash));
    }

    [Fact]
    public void AHashIsAPhcStringWithItsCostAndAFreshSalt()
    {
        var first = _hasher.Hash("password1");
        var second = _hasher.Hash("password1");

        Assert.StartsWith("$argon2id$v=19$m=1024,t=1,p=1$", first, StringComparison.Ordinal);
        Assert.Equal(6, first.Split('$').Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void AHashMadeWithOtherCostsStillVerifies()
    {
        var older = new PasswordHasher(memoryKiB: 2048, iterations: 2).Hash("password1");

        Assert.Contains("m=2048,t=2", older, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("password1", older));
    }

    [Theory]
    [InlineData("")]
    [InlineData("password1")]
    [InlineData("$2b$10$abcdefghijklmnopqrstuv")]
    [InlineData("$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=0,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=1024,t=x,p=1$c2FsdHNhbHQ$aGFzaGhhc2g")]
    [InlineData("$argon2id$v=19$m=1024,t=1,p=1$not*base64$aGFzaGhhc2g")]
    public void AMalformedHashVerifiesNothing(string encoded)
    {
        Assert.False(PasswordHasher.Verify("password1", encoded));
    }

    [Fact]
    public void ATamperedHashIsRejected()
    {
        var hash = _hasher.Hash("password1");
        var parts = hash.Split('$');
        var digest = parts[5].ToCharArray();
        digest[0] = digest[0] == 'A' ? 'B' : 'A';
        parts[5] = new string(digest);

        Assert.False(PasswordHasher.Verify("password1", string.Join('$', parts)));
    }
}
