using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Bayeux.AspNetCore.Tests.Support;
using Parley.Testing;

namespace Parley.Bayeux.AspNetCore.Tests.Transports;

public sealed class WebSocketTests : HeldConnectSpecification
{
    private protected override BayeuxClient CreateClient(TestHost host) => new WebSocketClient(host.Endpoint);

    private protected override bool RepliesCarryHttpStatus => false;

    private protected override void AssertRefusedAsTooLarge(BayeuxResponse response) =>
        Assert.True(response.CloseStatus == WebSocketCloseStatus.MessageTooBig, $"expected close status 1009, got {response}");

    [Fact]
    public async Task DeliveriesArePushedWithoutWakingTheHeldConnect()
    {
        await using var host = await TestHost.StartAsync(o => o.Timeout = 60_000);
        await using var subscriber = await SubscribedClientAsync(host, "/pub/push");
        await using var publisher = CreateClient(host);
        await publisher.StartSessionAsync();
        var held = await HoldConnectAsync(host, subscriber);

        await publisher.PublishAsync("/pub/push", new JsonObject { ["n"] = 1 });
        var delivery = await subscriber.NextDeliveryAsync();
        Assert.Equal(1, delivery.Obj("data")?.Long("n"));
        Assert.False(held.IsCompleted, "a pushed delivery should leave the heartbeat connect held");

        await subscriber.DisconnectAsync();
        await Eventually.WithinAsync(held, "the held connect after the disconnect");
    }

    [Fact]
    public async Task ClientReHandshakesOnTheSameSocketAfterItsSessionEnds()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = await SubscribedClientAsync(host, "/pub/again");
        var firstId = client.ClientId!;
        await client.DisconnectAsync();

        await client.StartSessionAsync();
        Assert.NotEqual(firstId, client.ClientId);
        await client.SubscribeAsync("/pub/again");
        await AssertStillServedAsync(client, "/pub/again");
    }

    [Fact]
    public async Task UpgradedConnectionsCountTowardsTheConnectionBudget()
    {
        const int limit = 3;
        await using var host = await TestHost.StartAsync(o => o.MaxConnections = limit);
        var sockets = new List<WebSocketClient>();
        try
        {
            for (var i = 0; i < limit; i++)
            {
                var socket = new WebSocketClient(host.Endpoint);
                sockets.Add(socket);
                await socket.HandshakeAsync();
            }
            await Eventually.HoldsAsync(() => host.Budget.Open == limit, $"{limit} upgraded connections are counted");

            using var extra = new TcpClient();
            await extra.ConnectAsync(IPAddress.Loopback, host.Port);
            var answer = await ReadUntilClosedAsync(extra.GetStream());
            Assert.True(answer.StartsWith("HTTP/1.1 503", StringComparison.Ordinal), $"the connection over the budget got: '{answer}'");
        }
        finally
        {
            foreach (var socket in sockets)
                await socket.DisposeAsync();
        }
        await Eventually.HoldsAsync(() => host.Budget.Open == 0, "the closed sockets are released");
        await using var client = await SubscribedClientAsync(host, "/pub/alive");
        await AssertStillServedAsync(client, "/pub/alive");
    }

    private static async Task<string> ReadUntilClosedAsync(NetworkStream stream)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        var buffer = new byte[1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, deadline.Token)) > 0)
                received.Write(buffer, 0, read);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
        }
        return Encoding.ASCII.GetString(received.ToArray());
    }
}
