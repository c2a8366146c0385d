using Parley.Server.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary><c>AllowMultiple</c>: every session of a user stays and receives.</summary>
public sealed class AllowMultipleTests(AllowMultipleTests.Fixture fixture) : IClassFixture<AllowMultipleTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Im:LoginPolicy"] = "AllowMultiple" };
    }

    [Fact]
    public async Task BothSessionsOfTheRecipientReceiveTheMessage()
    {
        var app = fixture.App;
        await using var a = await app.OnlineAsync("alice");
        await using var phone = await app.OnlineAsync("bob", ImTransport.LongPolling);
        await a.BefriendAsync(phone);
        await using var desktop = await app.LoginAsync(phone.Username);
        await desktop.ConnectAsync(ImTransport.WebSocket);

        var sent = await a.SendToAsync(phone, "to both");

        foreach (var session in new[] { phone, desktop })
        {
            await session.WaitForAsync("message", d => d.Str("id") == sent.Str("id"));
            await session.BarrierAsync();
            Assert.Single(session.Events("message", d => d.Str("id") == sent.Str("id")));
            Assert.Empty(session.Events("kicked"));
        }
    }
}
