using Parley.Bayeux.Messages;
using Parley.Bayeux.Server;
using Parley.Bayeux.Sessions;
using Parley.Bayeux.Tests.Support;

namespace Parley.Bayeux.Tests.Sessions;

public sealed class HeldConnectTests
{
    private static async Task<TestServer> StartAsync(Action<BayeuxOptions>? configure = null)
    {
        var server = new TestServer(configure);
        await server.StartAsync();
        return server;
    }

    [Fact]
    public async Task ConnectIsHeldUntilTimeoutWhenNoMessages()
    {
        await using var server = await StartAsync(o => o.Timeout = 5_000);
        var clientId = await server.HandshakeAsync();
        var pending = await server.ConnectAsync(clientId);

        server.AdvanceMs(4_900);
        Assert.False(pending.Completion.IsCompleted);

        server.AdvanceMs(200);
        Assert.True(pending.Completion.IsCompleted);
        var answer = await server.AnswerAsync(pending);
        Assert.Equal(ConnectWake.Timeout, answer.Wake);
        Assert.True(answer.Reply!.Successful);
        Assert.Equal("c", answer.Reply.Id);
        Assert.Equal(Advice.Reconnects.Retry, answer.Reply.Advice!.Reconnect);
        Assert.Equal(5_000, answer.Reply.Advice.Timeout);
        Assert.Empty(answer.Deliveries);
    }

    [Fact]
    public async Task AClientSentTimeoutIsHonoured()
    {
        await using var server = await StartAsync(o => o.Timeout = 5_000);
        var clientId = await server.HandshakeAsync();
        var pending = await server.ConnectAsync(clientId, timeout: 1_000);

        server.AdvanceMs(1_100);

        Assert.Equal(ConnectWake.Timeout, await pending.Completion);
    }

    [Fact]
    public async Task AClientSentTimeoutIsCappedAtMaxTimeout()
    {
        await using var server = await StartAsync(o => { o.Timeout = 5_000; o.MaxTimeout = 8_000; });
        var clientId = await server.HandshakeAsync();
        var pending = await server.ConnectAsync(clientId, timeout: 3_600_000);

        server.AdvanceMs(8_100);

        Assert.Equal(ConnectWake.Timeout, await pending.Completion);
    }

    [Fact]
    public async Task AClientTimeoutOfZeroAnswersAtOnce()
    {
        await using var server = await StartAsync();
        var clientId = await server.HandshakeAsync();

        var pending = await server.ConnectAsync(clientId, timeout: 0);

        Assert.True(pending.Completion.IsCompleted);
        var answer = await server.AnswerAsync(pending);
        Assert.Equal(ConnectWake.Timeout, answer.Wake);
        Assert.True(answer.Reply!.Successful);
    }

    [Fact]
    public async Task APublishToASubscribedChannelWakesAHeldConnectWithMessages()
    {
        await using var server = await StartAsync();
        var subscriber = await server.HandshakeAsync();
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");
        var pending = await server.ConnectAsync(subscriber);
        Assert.False(pending.Completion.IsCompleted);

        await server.PublishAsync(publisher, "/open/room", "{\"text\":\"wake up\"}");

        Assert.True(pending.Completion.IsCompleted);
        var answer = await server.AnswerAsync(pending);
        Assert.Equal(ConnectWake.Messages, answer.Wake);
        var delivery = Assert.Single(answer.DeliveryJson);
        Assert.Equal("/open/room", delivery.GetProperty("channel").GetString());
        Assert.Equal("wake up", delivery.GetProperty("data").GetProperty("text").GetString());
        Assert.True(answer.Reply!.Successful);
        Assert.Equal(0, server.Server.GetSession(subscriber)!.QueueLength);
    }

    [Fact]
    public async Task APublishToAnotherChannelDoesNotWakeAHeldConnect()
    {
        await using var server = await StartAsync();
        var subscriber = await server.HandshakeAsync();
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");
        var pending = await server.ConnectAsync(subscriber);

        await server.PublishAsync(publisher, "/open/other");

        Assert.False(pending.Completion.IsCompleted);
    }

    [Fact]
    public async Task AConnectWithQueuedMessagesAnswersAtOnce()
    {
        await using var server = await StartAsync();
        var subscriber = await server.HandshakeAsync();
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");
        await server.PublishAsync(publisher, "/open/room", "1");
        await server.PublishAsync(publisher, "/open/room", "2");

        var answer = await server.AnswerAsync(await server.ConnectAsync(subscriber));

        Assert.Equal(ConnectWake.Messages, answer.Wake);
        Assert.Equal([1, 2], answer.DeliveryJson.Select(d => d.GetProperty("data").GetInt32()));
    }

    [Fact]
    public async Task DisconnectWakesAHeldConnectWithDisconnected()
    {
        await using var server = await StartAsync();
        var clientId = await server.HandshakeAsync();
        var pending = await server.ConnectAsync(clientId);

        var bye = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/disconnect", ClientId = clientId, Id = "d" });

        Assert.True(bye.Successful);
        Assert.Equal("d", bye.Id);
        Assert.True(pending.Completion.IsCompleted);
        var answer = await server.AnswerAsync(pending);
        Assert.Equal(ConnectWake.Disconnected, answer.Wake);
        Assert.Equal(Advice.Reconnects.None, answer.Reply!.Advice!.Reconnect);
        Assert.Null(server.Server.GetSession(clientId));
    }

    [Fact]
    public async Task ANewerConnectSupersedesTheHeldOne()
    {
        await using var server = await StartAsync();
        var clientId = await server.HandshakeAsync();
        var first = await server.ConnectAsync(clientId);

        var second = await server.ConnectAsync(clientId);

        Assert.Equal(ConnectWake.Superseded, await first.Completion);
        Assert.False(second.Completion.IsCompleted);
    }

    [Fact]
    public async Task TwoConnectsInOneBatchAnswerTheFirstAndHoldTheLast()
    {
        await using var server = await StartAsync();
        var clientId = await server.HandshakeAsync();

        var result = await server.SendAsync(
            new BayeuxMessage { Channel = "/meta/connect", ClientId = clientId, Id = "1" },
            new BayeuxMessage { Channel = "/meta/connect", ClientId = clientId, Id = "2" });

        var first = Assert.Single(result.Replies);
        Assert.Equal("1", first.Id);
        Assert.Equal("408::connect_superseded", first.Error);
        Assert.Equal("2", result.Connect!.Request.Id);
        Assert.False(result.Connect.Completion.IsCompleted);
        Assert.True(server.Server.GetSession(clientId)!.IsHeld);
    }

    [Fact]
    public async Task AnAbortedRequestCompletesTheHeldConnectWithNothingToWrite()
    {
        await using var server = await StartAsync();
        var clientId = await server.HandshakeAsync();
        using var aborted = new CancellationTokenSource();
        var context = new FakeRequestContext { Aborted = aborted.Token };
        var result = await server.Server.ProcessAsync([new BayeuxMessage { Channel = "/meta/connect", ClientId = clientId }], context, CancellationToken.None);
        var pending = result.Connect!;

        await aborted.CancelAsync();

        Assert.Equal(ConnectWake.Aborted, await pending.Completion);
        Assert.Null(server.Server.CompleteConnect(pending, ConnectWake.Aborted, []));
        server.Server.ConnectWritten(pending, written: false);
        Assert.NotNull(server.Server.GetSession(clientId));
        Assert.False(server.Server.GetSession(clientId)!.IsHeld);
    }

    [Theory]
    [InlineData("/meta/connect")]
    [InlineData("/meta/subscribe")]
    [InlineData("/meta/unsubscribe")]
    [InlineData("/meta/disconnect")]
    [InlineData("/open/room")]
    public async Task AnUnknownClientIdIsAskedToHandshakeAgain(string channel)
    {
        await using var server = await StartAsync();

        var reply = await server.SendOneAsync(new BayeuxMessage
        {
            Channel = channel,
            ClientId = "0123456789abcdef0123456789abcdef",
            Id = "7",
            Subscription = Json.String("/open/room"),
            Data = Json.Parse("1"),
        });

        Assert.False(reply.Successful);
        Assert.Equal("402::session_unknown", reply.Error);
        Assert.Equal("7", reply.Id);
        Assert.Equal(channel, reply.Channel);
        Assert.Equal(Advice.Reconnects.Handshake, reply.Advice!.Reconnect);
        Assert.Equal(0, reply.Advice.Interval);
    }

    [Fact]
    public async Task AMissingClientIdIsAskedToHandshakeAgain()
    {
        await using var server = await StartAsync();

        var reply = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/connect" });

        Assert.Equal("402::session_unknown", reply.Error);
        Assert.Equal(Advice.Reconnects.Handshake, reply.Advice!.Reconnect);
    }

    [Fact]
    public async Task AClientIdFromAnotherBrowserIsUnknown()
    {
        await using var server = await StartAsync();
        var cookieContext = new FakeRequestContext { BrowserId = "browser-1" };
        cookieContext.Cookies["BAYEUX_BROWSER"] = "browser-1";
        var handshake = await server.Server.ProcessAsync([new BayeuxMessage { Channel = "/meta/handshake", Version = "1.0" }], cookieContext, CancellationToken.None);
        var clientId = handshake.Replies[0].ClientId;

        var other = new FakeRequestContext { BrowserId = "browser-2" };
        var result = await server.Server.ProcessAsync([new BayeuxMessage { Channel = "/meta/connect", ClientId = clientId }], other, CancellationToken.None);

        Assert.Equal("402::session_unknown", Assert.Single(result.Replies).Error);
    }

    [Fact]
    public async Task AKickCompletesTheHeldConnectWithReconnectNoneAndRemovesTheSession()
    {
        await using var server = await StartAsync();
        var removed = new List<SessionRemovalReason>();
        server.Server.SessionRemoved += (_, reason) => removed.Add(reason);
        var clientId = await server.HandshakeAsync();
        var session = server.Server.GetSession(clientId)!;
        var pending = await server.ConnectAsync(clientId);
        session.Deliver("/user/1", Json.Parse("{\"type\":\"kicked\"}"));
        var first = await server.AnswerAsync(pending);
        Assert.Equal(ConnectWake.Messages, first.Wake);
        var held = await server.ConnectAsync(clientId);

        server.Server.Kick(session);
        var answer = await server.AnswerAsync(held);

        Assert.Equal(ConnectWake.Kicked, answer.Wake);
        Assert.Equal(Advice.Reconnects.None, answer.Reply!.Advice!.Reconnect);
        Assert.Equal([SessionRemovalReason.Kicked], removed);
    }
}
