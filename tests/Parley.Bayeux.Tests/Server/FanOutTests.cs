using System.Text;
using System.Text.Json;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;
using Parley.Bayeux.Tests.Support;

namespace Parley.Bayeux.Tests.Server;

public sealed class FanOutTests
{
    [Fact]
    public async Task ASessionSubscribedToOverlappingPatternsReceivesAMessageOnce()
    {
        await using var server = new TestServer(o => o.OpenChannels = ["/a/**"]);
        var subscriber = await server.HandshakeAsync();
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/a/*");
        await server.SubscribeAsync(subscriber, "/a/**");
        await server.SubscribeAsync(subscriber, "/a/b");

        await server.PublishAsync(publisher, "/a/b", "1");

        var answer = await server.AnswerAsync(await server.ConnectAsync(subscriber));
        Assert.Single(answer.Deliveries);
        Assert.Equal(1, server.Server.Metrics.Deliveries);
    }

    [Fact]
    public async Task EverySubscriberOfEveryMatchingPatternReceivesTheMessage()
    {
        await using var server = new TestServer(o => o.OpenChannels = ["/a/**"]);
        var exact = await server.HandshakeAsync();
        var single = await server.HandshakeAsync();
        var deep = await server.HandshakeAsync();
        var elsewhere = await server.HandshakeAsync();
        await server.SubscribeAsync(exact, "/a/b/c");
        await server.SubscribeAsync(single, "/a/b/*");
        await server.SubscribeAsync(deep, "/a/**");
        await server.SubscribeAsync(elsewhere, "/a/*");

        var count = server.Server.FanOut(BayeuxCodec.EncodeDelivery("/a/b/c", Json.Parse("1")));

        Assert.Equal(3, count);
        Assert.Equal(1, server.Server.GetSession(exact)!.QueueLength);
        Assert.Equal(1, server.Server.GetSession(single)!.QueueLength);
        Assert.Equal(1, server.Server.GetSession(deep)!.QueueLength);
        Assert.Equal(0, server.Server.GetSession(elsewhere)!.QueueLength);
    }

    [Fact]
    public async Task ABroadcastNeverCarriesThePublishersClientIdOrMessageId()
    {
        await using var server = new TestServer();
        var subscriber = await server.HandshakeAsync();
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");
        await server.SubscribeAsync(publisher, "/open/room");

        var reply = await server.PublishAsync(publisher, "/open/room", "{\"text\":\"hello\"}", id: "unique-message-id-77");
        Assert.Equal("unique-message-id-77", reply.Id);
        Assert.Null(reply.Data);

        foreach (var clientId in new[] { subscriber, publisher })
        {
            var answer = await server.AnswerAsync(await server.ConnectAsync(clientId));
            var raw = Encoding.UTF8.GetString(Assert.Single(answer.Deliveries).Utf8Json.Span);
            Assert.DoesNotContain(publisher, raw, StringComparison.Ordinal);
            Assert.DoesNotContain("unique-message-id-77", raw, StringComparison.Ordinal);
            using var document = JsonDocument.Parse(raw);
            Assert.Equal(["channel", "data"], document.RootElement.EnumerateObject().Select(p => p.Name));
        }
    }

    [Fact]
    public async Task ABroadcastIsEncodedOnceAndSharedByEverySubscriber()
    {
        await using var server = new TestServer();
        var first = await server.HandshakeAsync();
        var second = await server.HandshakeAsync();
        await server.SubscribeAsync(first, "/open/room");
        await server.SubscribeAsync(second, "/open/room");

        await server.Server.PublishAsync("/open/room", Json.Parse("1"));

        var a = await server.AnswerAsync(await server.ConnectAsync(first));
        var b = await server.AnswerAsync(await server.ConnectAsync(second));
        Assert.Same(Assert.Single(a.Deliveries), Assert.Single(b.Deliveries));
    }

    [Theory]
    [InlineData("/meta/connect")]
    [InlineData("/service/x")]
    [InlineData("/open/*")]
    [InlineData("bad")]
    public async Task ServerSidePublishRefusesChannelsThatAreNeverBroadcast(string channel)
    {
        await using var server = new TestServer();

        await Assert.ThrowsAsync<ArgumentException>(async () => await server.Server.PublishAsync(channel, Json.Parse("1")));
    }

    [Fact]
    public async Task ARemovedSessionLeavesTheIndex()
    {
        await using var server = new TestServer();
        var subscriber = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");
        await server.SubscribeAsync(subscriber, "/open/**");

        await server.SendAsync(new BayeuxMessage { Channel = "/meta/disconnect", ClientId = subscriber });

        Assert.Equal(0, server.Server.FanOut(BayeuxCodec.EncodeDelivery("/open/room", Json.Parse("1"))));
    }

    [Fact]
    public async Task DeliverSendsToOneSessionOnly()
    {
        await using var server = new TestServer();
        var target = await server.HandshakeAsync();
        var other = await server.HandshakeAsync();
        await server.SubscribeAsync(target, "/user/1");
        await server.SubscribeAsync(other, "/user/1");

        server.Server.Deliver(server.Server.GetSession(target)!, "/user/1", Json.Parse("{\"type\":\"kicked\"}"));

        Assert.Equal(1, server.Server.GetSession(target)!.QueueLength);
        Assert.Equal(0, server.Server.GetSession(other)!.QueueLength);
    }

    [Fact]
    public async Task APublishFromASessionRemovedListenerDuringFanOutDoesNotBreakTheOuterFanOut()
    {
        // An application announces "offline" when a session goes; the slow client is removed in
        // the middle of a fan-out, so that publish runs inside the outer one, on the same thread.
        await using var server = new TestServer(o => { o.MaxQueue = 2; o.QueueOverflow = QueueOverflowPolicy.Disconnect; });
        server.Server.SessionRemoved += (_, _) => server.Server.PublishAsync("/open/presence", Json.Parse("\"offline\"")).AsTask().GetAwaiter().GetResult();
        var slow = await server.HandshakeAsync();
        var fast = await server.HandshakeAsync();
        await server.SubscribeAsync(slow, "/open/*");
        await server.SubscribeAsync(slow, "/open/**");
        await server.SubscribeAsync(fast, "/open/**");
        await server.SubscribeAsync(fast, "/open/room");
        server.Server.FanOut(BayeuxCodec.EncodeDelivery("/open/room", Json.Parse("-1")));
        server.Server.FanOut(BayeuxCodec.EncodeDelivery("/open/room", Json.Parse("0")));
        await server.AnswerAsync(await server.ConnectAsync(fast));

        var count = server.Server.FanOut(BayeuxCodec.EncodeDelivery("/open/room", Json.Parse("1")));

        Assert.Null(server.Server.GetSession(slow));
        var answer = await server.AnswerAsync(await server.ConnectAsync(fast));
        Assert.Single(answer.DeliveryJson, d => d.GetProperty("channel").GetString() == "/open/room");
        Assert.Single(answer.DeliveryJson, d => d.GetProperty("channel").GetString() == "/open/presence");
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task SessionEventsAreRaised()
    {
        await using var server = new TestServer();
        var events = new List<string>();
        server.Server.SessionAdded += s => events.Add("added");
        server.Server.Subscribed += (s, c) => events.Add("subscribed " + c);
        server.Server.Unsubscribed += (s, c) => events.Add("unsubscribed " + c);
        server.Server.SessionRemoved += (s, r) => events.Add("removed " + r);
        var clientId = await server.HandshakeAsync();

        await server.SubscribeAsync(clientId, "/open/room");
        await server.SubscribeAsync(clientId, "/open/room");
        await server.SendAsync(new BayeuxMessage { Channel = "/meta/unsubscribe", ClientId = clientId, Subscription = Json.String("/open/room") });
        await server.SendAsync(new BayeuxMessage { Channel = "/meta/disconnect", ClientId = clientId });

        Assert.Equal(["added", "subscribed /open/room", "unsubscribed /open/room", "removed Disconnected"], events);
    }

    [Fact]
    public async Task AFailingListenerDoesNotBreakTheServer()
    {
        await using var server = new TestServer();
        server.Server.SessionAdded += _ => throw new InvalidOperationException("listener bug");

        var clientId = await server.HandshakeAsync();

        Assert.NotNull(server.Server.GetSession(clientId));
    }
}
