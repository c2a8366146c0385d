using Parley.Bayeux.Sessions;
using Parley.Bayeux.Tests.Support;

namespace Parley.Bayeux.Tests.Sessions;

public sealed class QueueOverflowTests
{
    [Fact]
    public async Task DropOldestKeepsTheNewestMaxQueueMessagesAndCountsTheDrops()
    {
        await using var server = new TestServer(o => { o.MaxQueue = 3; o.QueueOverflow = QueueOverflowPolicy.DropOldest; });
        var subscriber = await server.HandshakeAsync();
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");

        for (var i = 1; i <= 5; i++)
            Assert.True((await server.PublishAsync(publisher, "/open/room", i.ToString(System.Globalization.CultureInfo.InvariantCulture))).Successful);

        var session = server.Server.GetSession(subscriber)!;
        Assert.Equal(3, session.QueueLength);
        Assert.Equal(2, server.Server.Metrics.Dropped);
        Assert.True(session.IsActive);
        var answer = await server.AnswerAsync(await server.ConnectAsync(subscriber));
        Assert.Equal([3, 4, 5], answer.DeliveryJson.Select(d => d.GetProperty("data").GetInt32()));
    }

    [Fact]
    public async Task DisconnectPolicyRemovesTheSlowSession()
    {
        await using var server = new TestServer(o => { o.MaxQueue = 2; o.QueueOverflow = QueueOverflowPolicy.Disconnect; });
        var removed = new List<(string, SessionRemovalReason)>();
        server.Server.SessionRemoved += (session, reason) => removed.Add((session.Id, reason));
        var slow = await server.HandshakeAsync();
        var fast = await server.HandshakeAsync();
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(slow, "/open/room");
        await server.SubscribeAsync(fast, "/open/room");

        await server.PublishAsync(publisher, "/open/room", "1");
        await server.AnswerAsync(await server.ConnectAsync(fast));
        await server.PublishAsync(publisher, "/open/room", "2");
        await server.AnswerAsync(await server.ConnectAsync(fast));
        var reply = await server.PublishAsync(publisher, "/open/room", "3");

        Assert.True(reply.Successful);
        Assert.Equal([(slow, SessionRemovalReason.QueueOverflow)], removed);
        Assert.Null(server.Server.GetSession(slow));
        Assert.NotNull(server.Server.GetSession(fast));
        Assert.Equal(1, server.Server.Metrics.Dropped);
        Assert.Equal([3], (await server.AnswerAsync(await server.ConnectAsync(fast))).DeliveryJson.Select(d => d.GetProperty("data").GetInt32()));
    }

    [Fact]
    public async Task DisconnectPolicyEmptiesTheRemovedSessionsQueue()
    {
        await using var server = new TestServer(o => { o.MaxQueue = 1; o.QueueOverflow = QueueOverflowPolicy.Disconnect; });
        var slow = await server.HandshakeAsync();
        var session = server.Server.GetSession(slow)!;
        await server.SubscribeAsync(slow, "/open/room");
        session.Deliver("/open/room", Json.Parse("0"));

        session.Deliver(Parley.Bayeux.Messages.BayeuxCodec.EncodeDelivery("/open/room", Json.Parse("1")));

        Assert.False(session.IsActive);
        Assert.Equal(0, session.QueueLength);
    }

    [Fact]
    public async Task EnqueueReportsWhatHappened()
    {
        await using var test = new TestServer();
        var server = test.Server;
        var session = new ServerSession(server, "id", "long-polling", server.Now);
        var message = Parley.Bayeux.Messages.BayeuxCodec.EncodeDelivery("/a/b", Json.Parse("1"));

        Assert.Equal(ServerSession.EnqueueOutcome.Queued, session.Enqueue(message, 1, QueueOverflowPolicy.DropOldest));
        Assert.Equal(ServerSession.EnqueueOutcome.DroppedOldest, session.Enqueue(message, 1, QueueOverflowPolicy.DropOldest));
        Assert.Equal(ServerSession.EnqueueOutcome.Overflow, session.Enqueue(message, 1, QueueOverflowPolicy.Disconnect));
        Assert.Equal(1, session.QueueLength);
    }
}
