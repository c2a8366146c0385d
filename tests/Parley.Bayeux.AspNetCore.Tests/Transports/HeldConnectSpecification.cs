using System.Text.Json.Nodes;
using Parley.Bayeux.AspNetCore.Tests.Support;
using Parley.Testing;

namespace Parley.Bayeux.AspNetCore.Tests.Transports;

/// <summary>
/// The held <c>/meta/connect</c> (the heartbeat) of the transports that hold it: long-polling,
/// callback-polling and websocket. Where a wrong server would hang, the server's timeout is
/// 60 s and the test waits at most 10 s.
/// </summary>
public abstract class HeldConnectSpecification : TransportSpecification
{
    private const long LongTimeout = 60_000;

    /// <summary>How a connect completed by a newer one is answered on this transport.</summary>
    private protected virtual void AssertSupersededStatus(BayeuxResponse response) =>
        Assert.True(response.Status >= 400, $"a superseded HTTP connect should end with a status >= 400, got {response}");

    /// <summary>Starts a connect that the server holds, and returns once the server holds it.</summary>
    private protected static async Task<Task<BayeuxResponse>> HoldConnectAsync(TestHost host, BayeuxClient client, long expectedHeld = 1)
    {
        // The previous connect is over only once its reply is written: wait for that first, so
        // the count below can only be reached by the new connect.
        await Eventually.HoldsAsync(() => host.HeldConnects == expectedHeld - 1, "no other connect is held");
        var held = client.ConnectAsync();
        await Eventually.HoldsAsync(() => host.HeldConnects == expectedHeld || held.IsCompleted, "the server holds the connect");
        if (held.IsCompleted)
            Assert.Fail($"the connect was not held: {await held}");
        return held;
    }

    [Fact]
    public async Task HeldConnectReturnsEmptyAfterTimeout()
    {
        await using var host = await TestHost.StartAsync(o => o.Timeout = 500);
        await using var client = CreateClient(host);
        await client.StartSessionAsync();

        var response = await client.ConnectAsync();
        if (RepliesCarryHttpStatus)
            Assert.Equal(200, response.Status);
        var reply = Assert.Single(response.Messages);
        Assert.Equal("/meta/connect", reply.Str("channel"));
        Assert.True(reply.Bool("successful") == true, response.ToString());
        Assert.Equal("retry", reply.Advice()?.Str("reconnect"));
        Assert.False(client.TryTakeDelivery(out _));
        Assert.NotNull(host.Server.GetSession(client.ClientId!));
    }

    [Fact]
    public async Task DisconnectWakesTheHeldConnectPromptly()
    {
        await using var host = await TestHost.StartAsync(o => o.Timeout = LongTimeout);
        await using var client = CreateClient(host);
        await client.StartSessionAsync();
        var held = await HoldConnectAsync(host, client);

        var disconnect = await client.DisconnectAsync();
        Assert.True(disconnect.Bool("successful") == true, disconnect.ToJsonString());

        var response = await Eventually.WithinAsync(held, "the held connect to return after the disconnect");
        var reply = response.Reply;
        Assert.Equal("/meta/connect", reply.Str("channel"));
        Assert.NotEqual("retry", reply.Advice()?.Str("reconnect"));
        await Eventually.HoldsAsync(() => host.Server.SessionCount == 0 && host.HeldConnects == 0, "the session is freed");
    }

    [Fact]
    public async Task SecondConnectCompletesTheFirst()
    {
        await using var host = await TestHost.StartAsync(o => o.Timeout = LongTimeout);
        await using var client = CreateClient(host);
        await client.StartSessionAsync();
        var first = await HoldConnectAsync(host, client);

        var second = client.ConnectAsync();
        var superseded = await Eventually.WithinAsync(first, "the first connect to be completed by the second");
        var reply = superseded.Reply;
        Assert.Equal("/meta/connect", reply.Str("channel"));
        Assert.False(reply.Bool("successful"), $"a superseded connect should be unsuccessful: {superseded}");
        Assert.Equal("retry", reply.Advice()?.Str("reconnect"));
        if (RepliesCarryHttpStatus)
            AssertSupersededStatus(superseded);

        await Eventually.HoldsAsync(() => host.HeldConnects == 1 || second.IsCompleted, "the second connect is held");
        if (second.IsCompleted)
            Assert.Fail($"the second connect should be held: {await second}");
        await client.DisconnectAsync();
        var last = await Eventually.WithinAsync(second, "the second connect to return after the disconnect");
        Assert.Equal("/meta/connect", last.Reply.Str("channel"));
    }

    [Fact]
    public async Task PublishIsAnsweredWhileTheSameClientsConnectIsHeld()
    {
        await using var host = await TestHost.StartAsync(o => o.Timeout = LongTimeout);
        await using var client = await SubscribedClientAsync(host, "/pub/self");
        var held = await HoldConnectAsync(host, client);

        var publish = await Eventually.WithinAsync(client.PublishAsync("/pub/self", new JsonObject { ["n"] = 7 }), "the publish reply while the connect is held");
        Assert.True(publish.Reply.Bool("successful") == true, publish.ToString());

        if (!client.DeliversByPush)
        {
            var woken = await Eventually.WithinAsync(held, "the held connect to return with the message");
            Assert.True(woken.Reply.Bool("successful") == true, woken.ToString());
        }
        var delivery = await client.NextDeliveryAsync();
        Assert.Equal(7, delivery.Obj("data")?.Long("n"));
        await client.DisconnectAsync();
    }
}
