using Parley.Server.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>A client that vanishes without <c>/meta/disconnect</c> (<c>Bayeux:MaxInterval=1000</c>) is freed and shown offline.</summary>
public sealed class SessionLossTests(SessionLossTests.Fixture fixture) : IClassFixture<SessionLossTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Bayeux:MaxInterval"] = "1000",
            ["Bayeux:Timeout"] = "2000",
        };
    }

    [Theory]
    [InlineData(ImTransport.WebSocket)]
    [InlineData(ImTransport.LongPolling)]
    public async Task AFriendSeesOfflineWhenTheOtherClientVanishes(ImTransport transport)
    {
        var app = fixture.App;
        await using var a = await app.OnlineAsync("alice");
        var b = await app.RegisterAsync("bob");
        await a.BefriendAsync(b);
        await b.ConnectAsync(transport);
        await a.WaitForAsync("presence", d => d.Str("user") == b.UserId && d.Str("status") == "online");

        await b.DisposeAsync(); // the socket or the polls just stop

        await Eventually.HoldsAsync(
            () => a.Events("presence", d => d.Str("user") == b.UserId).LastOrDefault()?.Str("status") == "offline",
            "alice sees bob offline",
            TimeSpan.FromSeconds(15));
    }
}
