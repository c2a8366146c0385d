using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Parley.Bayeux.Backplane;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Server;
using Parley.Bayeux.Tests.Support;

namespace Parley.Bayeux.Tests.Backplane;

/// <summary>
/// What every backplane must do, checked through real <see cref="BayeuxServer"/> nodes. A backplane
/// implementation derives from this class and supplies nodes that share one medium; xunit creates
/// a fresh instance (so a fresh medium) for every test.
/// </summary>
public abstract class BackplaneSpecification : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly List<BayeuxServer> _servers = [];

    /// <summary>Creates a node attached to the medium shared by this test's nodes.</summary>
    protected abstract IBackplane CreateNode(string nodeId);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
            await server.DisposeAsync();
    }

    private async Task<BayeuxServer> StartServerAsync(string nodeId)
    {
        var options = new BayeuxOptions { AllowAnonymous = true, OpenChannels = ["/open/**"] };
        var server = new BayeuxServer(options, new FakeTimeProvider(TestServer.Start), backplane: CreateNode(nodeId));
        _servers.Add(server);
        await server.StartAsync();
        return server;
    }

    private static async Task<string> HandshakeAsync(BayeuxServer server)
    {
        var result = await server.ProcessAsync([new BayeuxMessage { Channel = "/meta/handshake", Version = "1.0" }], new FakeRequestContext(), CancellationToken.None);
        return result.Replies[0].ClientId!;
    }

    private static async Task<BayeuxMessage> SendAsync(BayeuxServer server, BayeuxMessage message)
    {
        var result = await server.ProcessAsync([message], new FakeRequestContext(), CancellationToken.None);
        return Assert.Single(result.Replies);
    }

    private static async Task SubscribeAsync(BayeuxServer server, string clientId, string channel) =>
        Assert.True((await SendAsync(server, new BayeuxMessage { Channel = "/meta/subscribe", ClientId = clientId, Subscription = Json.String(channel) })).Successful);

    private static async Task PublishAsync(BayeuxServer server, string clientId, string channel, string data) =>
        Assert.True((await SendAsync(server, new BayeuxMessage { Channel = channel, ClientId = clientId, Id = "p", Data = Json.Parse(data) })).Successful);

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var start = DateTime.UtcNow;
        while (!condition())
        {
            if (DateTime.UtcNow - start > Deadline)
                Assert.Fail("Timed out waiting until " + what);
            await Task.Delay(5);
        }
    }

    private static List<JsonElement> Drain(BayeuxServer server, string clientId)
    {
        var into = new List<EncodedMessage>();
        server.GetSession(clientId)!.DrainForConnect(into);
        return [.. into.Select(m => Json.Parse(System.Text.Encoding.UTF8.GetString(m.Utf8Json.Span)))];
    }

    [Fact]
    public async Task APublishOnOneServerReachesASubscriberOnAnother()
    {
        var a = await StartServerAsync("A");
        var b = await StartServerAsync("B");
        var subscriber = await HandshakeAsync(b);
        var publisher = await HandshakeAsync(a);
        await SubscribeAsync(b, subscriber, "/open/room");

        await PublishAsync(a, publisher, "/open/room", "{\"text\":\"跨节点 ✓\"}");

        await WaitUntilAsync(() => b.GetSession(subscriber)!.QueueLength == 1, "B's subscriber has the message");
        var delivery = Assert.Single(Drain(b, subscriber));
        Assert.Equal("/open/room", delivery.GetProperty("channel").GetString());
        Assert.Equal("跨节点 ✓", delivery.GetProperty("data").GetProperty("text").GetString());
        Assert.Equal(1, b.Metrics.BackplaneReceived);
    }

    [Fact]
    public async Task APublishIsNotEchoedBackToThePublishingServer()
    {
        var a = await StartServerAsync("A");
        var b = await StartServerAsync("B");
        var onA = await HandshakeAsync(a);
        var onB = await HandshakeAsync(b);
        await SubscribeAsync(a, onA, "/open/**");
        await SubscribeAsync(b, onB, "/open/**");

        await PublishAsync(a, onA, "/open/first", "1");
        await WaitUntilAsync(() => b.GetSession(onB)!.QueueLength == 1, "B has A's message");
        // B's publish follows A's own message in any echo A would receive: once A has B's, it has seen everything.
        await PublishAsync(b, onB, "/open/second", "2");
        await WaitUntilAsync(() => a.Metrics.BackplaneReceived >= 1, "A has B's message");

        Assert.Equal(1, a.Metrics.BackplaneReceived);
        Assert.Equal(["/open/first", "/open/second"], Drain(a, onA).Select(d => d.GetProperty("channel").GetString()));
        Assert.Equal(["/open/first", "/open/second"], Drain(b, onB).Select(d => d.GetProperty("channel").GetString()));
    }

    [Fact]
    public async Task APublishReachesEveryOtherServer()
    {
        var servers = new[] { await StartServerAsync("A"), await StartServerAsync("B"), await StartServerAsync("C") };
        var clients = new string[servers.Length];
        for (var i = 0; i < servers.Length; i++)
        {
            clients[i] = await HandshakeAsync(servers[i]);
            await SubscribeAsync(servers[i], clients[i], "/open/room");
        }

        await PublishAsync(servers[1], clients[1], "/open/room", "1");

        for (var i = 0; i < servers.Length; i++)
        {
            var (server, client) = (servers[i], clients[i]);
            await WaitUntilAsync(() => server.GetSession(client)!.QueueLength == 1, "every node has the message");
        }
        Assert.Equal(0, servers[1].Metrics.BackplaneReceived);
    }

    [Fact]
    public async Task MessagesFromOneServerArriveInPublishOrder()
    {
        var a = await StartServerAsync("A");
        var b = await StartServerAsync("B");
        var subscriber = await HandshakeAsync(b);
        await SubscribeAsync(b, subscriber, "/open/room");

        for (var i = 0; i < 50; i++)
            await a.PublishAsync("/open/room", Json.Parse(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await WaitUntilAsync(() => b.GetSession(subscriber)!.QueueLength == 50, "all 50 arrived");
        Assert.Equal(Enumerable.Range(0, 50), Drain(b, subscriber).Select(d => d.GetProperty("data").GetInt32()));
    }

    [Fact]
    public async Task AServerWithoutSubscribersIgnoresRemoteMessages()
    {
        var a = await StartServerAsync("A");
        var b = await StartServerAsync("B");
        var onB = await HandshakeAsync(b);
        await SubscribeAsync(b, onB, "/open/other");

        await a.PublishAsync("/open/room", Json.Parse("1"));
        await a.PublishAsync("/open/other", Json.Parse("2"));

        await WaitUntilAsync(() => b.GetSession(onB)!.QueueLength == 1, "B's subscriber has its message");
        Assert.Equal([2], Drain(b, onB).Select(d => d.GetProperty("data").GetInt32()));
    }

    [Fact]
    public async Task AStoppedServerNoLongerReceives()
    {
        var a = await StartServerAsync("A");
        var b = await StartServerAsync("B");
        var c = await StartServerAsync("C");
        var onC = await HandshakeAsync(c);
        await SubscribeAsync(c, onC, "/open/room");
        await b.DisposeAsync();
        _servers.Remove(b);

        await a.PublishAsync("/open/room", Json.Parse("1"));

        await WaitUntilAsync(() => c.GetSession(onC)!.QueueLength == 1, "C has the message");
        Assert.Equal(0, b.Metrics.BackplaneReceived);
    }

    [Fact]
    public async Task ANodeSubscribedThroughAChannelAndAPatternReceivesEachBroadcastOnce()
    {
        var a = await StartServerAsync("A");
        var b = await StartServerAsync("B");
        var exact = await HandshakeAsync(b);
        var wildcard = await HandshakeAsync(b);
        await SubscribeAsync(b, exact, "/open/room");
        await SubscribeAsync(b, wildcard, "/open/*");
        await SubscribeAsync(b, wildcard, "/open/**");

        await a.PublishAsync("/open/room", Json.Parse("1"));
        await a.PublishAsync("/open/hall", Json.Parse("2"));

        await WaitUntilAsync(() => b.GetSession(wildcard)!.QueueLength == 2, "the wildcard subscriber has both");
        Assert.Equal([1], Drain(b, exact).Select(d => d.GetProperty("data").GetInt32()));
        Assert.Equal([1, 2], Drain(b, wildcard).Select(d => d.GetProperty("data").GetInt32()));
        Assert.Equal(2, b.Metrics.BackplaneReceived);
    }

    [Fact]
    public async Task ANodeStopsReceivingAChannelWhenItsLastSubscriberLeaves()
    {
        var a = await StartServerAsync("A");
        var b = await StartServerAsync("B");
        var first = await HandshakeAsync(b);
        var second = await HandshakeAsync(b);
        await SubscribeAsync(b, first, "/open/room");
        await SubscribeAsync(b, second, "/open/room");
        await SubscribeAsync(b, second, "/open/marker");

        // One of two subscribers leaves: the node still receives.
        Assert.True((await SendAsync(b, new BayeuxMessage { Channel = "/meta/unsubscribe", ClientId = first, Subscription = Json.String("/open/room") })).Successful);
        await a.PublishAsync("/open/room", Json.Parse("1"));
        await WaitUntilAsync(() => b.GetSession(second)!.QueueLength == 1, "the remaining subscriber has the message");
        Drain(b, second);

        // The last one goes away with its session: the node no longer receives the channel.
        Assert.True((await SendAsync(b, new BayeuxMessage { Channel = "/meta/unsubscribe", ClientId = second, Subscription = Json.String("/open/room") })).Successful);
        var received = b.Metrics.BackplaneReceived;
        await a.PublishAsync("/open/room", Json.Parse("2"));
        await a.PublishAsync("/open/marker", Json.Parse("3"));
        await WaitUntilAsync(() => b.GetSession(second)!.QueueLength == 1, "the marker arrived");
        Assert.Equal([3], Drain(b, second).Select(d => d.GetProperty("data").GetInt32()));
        Assert.Equal(received + 1, b.Metrics.BackplaneReceived);
    }

    [Fact]
    public async Task ARemovedSessionsSubscriptionsNoLongerDrawBroadcasts()
    {
        var a = await StartServerAsync("A");
        var b = await StartServerAsync("B");
        var leaving = await HandshakeAsync(b);
        var staying = await HandshakeAsync(b);
        await SubscribeAsync(b, leaving, "/open/room");
        await SubscribeAsync(b, staying, "/open/marker");
        Assert.True((await SendAsync(b, new BayeuxMessage { Channel = "/meta/disconnect", ClientId = leaving })).Successful);

        await a.PublishAsync("/open/room", Json.Parse("1"));
        await a.PublishAsync("/open/marker", Json.Parse("2"));

        await WaitUntilAsync(() => b.GetSession(staying)!.QueueLength == 1, "the marker arrived");
        Assert.Equal(1, b.Metrics.BackplaneReceived);
    }

    [Fact]
    public async Task AStartedBackplaneIsConnected()
    {
        var a = await StartServerAsync("A");

        Assert.True(a.BackplaneConnected);
    }
}
