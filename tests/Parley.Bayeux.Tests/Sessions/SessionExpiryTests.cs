using Parley.Bayeux.Messages;
using Parley.Bayeux.Server;
using Parley.Bayeux.Sessions;
using Parley.Bayeux.Tests.Support;

namespace Parley.Bayeux.Tests.Sessions;

public sealed class SessionExpiryTests
{
    private static async Task<TestServer> StartAsync(Action<BayeuxOptions>? configure = null)
    {
        var server = new TestServer(configure);
        await server.StartAsync();
        return server;
    }

    [Fact]
    public async Task ASessionWithoutConnectExpiresAfterMaxIntervalOnceTheSweepRuns()
    {
        await using var server = await StartAsync();
        var removed = new List<(string, SessionRemovalReason)>();
        server.Server.SessionRemoved += (session, reason) => removed.Add((session.Id, reason));
        var clientId = await server.HandshakeAsync();

        server.AdvanceMs(9_500);
        Assert.NotNull(server.Server.GetSession(clientId));

        server.AdvanceMs(1_000);
        Assert.Null(server.Server.GetSession(clientId));
        Assert.Equal([(clientId, SessionRemovalReason.Expired)], removed);
        Assert.Equal(1, server.Server.Metrics.Expired);
    }

    [Fact]
    public async Task AnExpiredSessionIsUnknownToItsNextMessage()
    {
        await using var server = await StartAsync();
        var clientId = await server.HandshakeAsync();
        server.AdvanceMs(11_000);

        var reply = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/connect", ClientId = clientId, Id = "9" });

        Assert.False(reply.Successful);
        Assert.Equal("402::session_unknown", reply.Error);
    }

    [Fact]
    public async Task AHeldConnectKeepsTheSessionAlivePastMaxInterval()
    {
        await using var server = await StartAsync(o => o.Timeout = 60_000);
        var clientId = await server.HandshakeAsync();
        var pending = await server.ConnectAsync(clientId);

        server.AdvanceMs(45_000);

        var session = server.Server.GetSession(clientId);
        Assert.NotNull(session);
        Assert.True(session.IsActive);
        Assert.True(session.IsHeld);
        Assert.False(pending.Completion.IsCompleted);
    }

    [Fact]
    public async Task AfterAConnectReplyIsWrittenTheSessionExpiresAtIntervalPlusMaxInterval()
    {
        await using var server = await StartAsync(o => o.Interval = 2_000);
        var clientId = await server.HandshakeAsync();
        var answer = await server.AnswerAsync(await server.ConnectAsync(clientId, timeout: 0));
        Assert.Equal(2_000, answer.Reply!.Advice!.Interval);

        server.AdvanceMs(11_500);
        Assert.NotNull(server.Server.GetSession(clientId));

        server.AdvanceMs(1_000);
        Assert.Null(server.Server.GetSession(clientId));
    }

    [Fact]
    public async Task AnotherConnectAfterTheReplyKeepsTheSessionAlive()
    {
        await using var server = await StartAsync(o => { o.Interval = 2_000; o.Timeout = 30_000; });
        var clientId = await server.HandshakeAsync();
        await server.AnswerAsync(await server.ConnectAsync(clientId, timeout: 0));

        server.AdvanceMs(11_000);
        var next = await server.ConnectAsync(clientId);
        server.AdvanceMs(20_000);

        Assert.NotNull(server.Server.GetSession(clientId));
        Assert.False(next.Completion.IsCompleted);
    }

    [Fact]
    public async Task TheHeartbeatCycleKeepsASessionAliveIndefinitely()
    {
        await using var server = await StartAsync(o => { o.Timeout = 5_000; o.MaxInterval = 3_000; });
        var clientId = await server.HandshakeAsync();

        for (var i = 0; i < 10; i++)
        {
            var pending = await server.ConnectAsync(clientId);
            server.AdvanceMs(5_000);
            Assert.Equal(ConnectWake.Timeout, (await server.AnswerAsync(pending)).Wake);
            server.AdvanceMs(1_000); // the client's round trip
        }

        Assert.NotNull(server.Server.GetSession(clientId));
        server.AdvanceMs(3_500);
        Assert.Null(server.Server.GetSession(clientId));
    }

    [Fact]
    public async Task CompletingASupersededConnectDoesNotMoveTheExpiryOrReleaseTheNewerConnect()
    {
        await using var server = await StartAsync(o => o.Timeout = 30_000);
        var clientId = await server.HandshakeAsync();
        var session = server.Server.GetSession(clientId)!;
        var first = await server.ConnectAsync(clientId);
        server.AdvanceMs(1_000);
        var second = await server.ConnectAsync(clientId);
        var expiresBefore = session.ExpiresAt;
        var cycle = session.ConnectCycle;

        var stale = await server.AnswerAsync(first);

        Assert.Equal(ConnectWake.Superseded, stale.Wake);
        Assert.False(stale.Reply!.Successful);
        Assert.Equal("408::connect_superseded", stale.Reply.Error);
        Assert.Equal(Advice.Reconnects.Retry, stale.Reply.Advice!.Reconnect);
        Assert.Equal(expiresBefore, session.ExpiresAt);
        Assert.Equal(cycle, session.ConnectCycle);
        Assert.True(session.IsHeld);
        Assert.False(second.Completion.IsCompleted);

        // Long past the stale cycle's interval + maxInterval, the newer connect still holds the session.
        server.AdvanceMs(25_000);
        Assert.True(session.IsActive);
        Assert.False(second.Completion.IsCompleted);
    }

    [Fact]
    public async Task AStaleConnectAnsweredAfterTheNewerOneDoesNotShortenTheNewerCycle()
    {
        await using var server = await StartAsync(o => { o.Timeout = 30_000; o.Interval = 5_000; });
        var clientId = await server.HandshakeAsync();
        var session = server.Server.GetSession(clientId)!;
        var first = await server.ConnectAsync(clientId);
        var second = await server.ConnectAsync(clientId);
        server.AdvanceMs(30_000);
        await server.AnswerAsync(second);
        var expires = session.ExpiresAt;

        server.AdvanceMs(3_000);
        await server.AnswerAsync(first);

        Assert.Equal(expires, session.ExpiresAt);
        Assert.False(session.IsHeld);
    }

    [Fact]
    public async Task AFailedWriteOfASupersededConnectDoesNotRemoveTheSession()
    {
        // The old long poll's socket is often already dead when the newer connect replaces it.
        await using var server = await StartAsync(o => o.Timeout = 30_000);
        var clientId = await server.HandshakeAsync();
        var first = await server.ConnectAsync(clientId);
        var second = await server.ConnectAsync(clientId);

        await server.AnswerAsync(first, written: false);

        Assert.NotNull(server.Server.GetSession(clientId));
        Assert.False(second.Completion.IsCompleted);
    }

    [Fact]
    public async Task AFailedConnectWriteRemovesTheSessionAtOnce()
    {
        await using var server = await StartAsync();
        var removed = new List<SessionRemovalReason>();
        server.Server.SessionRemoved += (_, reason) => removed.Add(reason);
        var clientId = await server.HandshakeAsync();

        await server.AnswerAsync(await server.ConnectAsync(clientId, timeout: 0), written: false);

        Assert.Null(server.Server.GetSession(clientId));
        Assert.Equal([SessionRemovalReason.WriteFailed], removed);
    }

    [Fact]
    public async Task AnyOtherMessageExtendsTheLifeToAtLeastNowPlusMaxInterval()
    {
        await using var server = await StartAsync();
        var clientId = await server.HandshakeAsync();

        server.AdvanceMs(8_000);
        Assert.True((await server.SubscribeAsync(clientId, "/open/x")).Successful);

        server.AdvanceMs(9_500); // 17.5 s after the handshake, 9.5 s after the subscribe
        Assert.NotNull(server.Server.GetSession(clientId));
        server.AdvanceMs(1_000);
        Assert.Null(server.Server.GetSession(clientId));
    }

    [Fact]
    public async Task AnotherMessageNeverShortensALongerLife()
    {
        await using var server = await StartAsync(o => o.Interval = 5_000);
        var clientId = await server.HandshakeAsync();
        await server.AnswerAsync(await server.ConnectAsync(clientId, timeout: 0)); // expires in 15 s

        server.AdvanceMs(1_000);
        await server.PublishAsync(clientId, "/open/x"); // at least 11 s

        server.AdvanceMs(13_500);
        Assert.NotNull(server.Server.GetSession(clientId));
        server.AdvanceMs(1_000);
        Assert.Null(server.Server.GetSession(clientId));
    }

    [Fact]
    public async Task AnUnknownSessionMessageDoesNotKeepAnythingAlive()
    {
        await using var server = await StartAsync();
        var clientId = await server.HandshakeAsync();
        server.AdvanceMs(5_000);

        await server.SendAsync(new BayeuxMessage { Channel = "/meta/connect", ClientId = "nobody" });
        server.AdvanceMs(5_500);

        Assert.Null(server.Server.GetSession(clientId));
    }
}
