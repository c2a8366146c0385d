using System.Text.Json.Nodes;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;
using Parley.Bayeux.Tests.Support;

namespace Parley.Bayeux.Tests.Extensions;

public sealed class AcknowledgeExtensionTests
{
    // Built from JSON text, as a transport builds it from the wire.
    private static JsonObject AckExt(string valueJson) => (JsonObject)JsonNode.Parse("{\"ack\":" + valueJson + "}")!;

    [Fact]
    public async Task TheHandshakeReplyCarriesAckTrueWhenRequested()
    {
        await using var server = new TestServer();

        var reply = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/handshake", Version = "1.0", Ext = AckExt("true") });

        Assert.True(reply.Successful);
        Assert.True(reply.GetExt("ack")!.GetValue<bool>());
        Assert.NotNull(server.Server.GetSession(reply.ClientId!)!.Ack);
    }

    [Fact]
    public async Task TheHandshakeReplyCarriesNoAckWhenNotRequested()
    {
        await using var server = new TestServer();

        var plain = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/handshake", Version = "1.0" });
        var refused = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/handshake", Version = "1.0", Ext = AckExt("false") });
        var other = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/handshake", Version = "1.0", Ext = new JsonObject { ["foo"] = 1 } });

        Assert.Null(plain.GetExt("ack"));
        Assert.Null(refused.GetExt("ack"));
        Assert.Null(other.GetExt("ack"));
        Assert.Null(server.Server.GetSession(plain.ClientId!)!.Ack);
    }

    [Fact]
    public async Task ADeniedHandshakeCarriesNoAck()
    {
        await using var server = new TestServer(o => o.AllowAnonymous = false);

        var reply = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/handshake", Version = "1.0", Ext = AckExt("true") });

        Assert.False(reply.Successful);
        Assert.Null(reply.GetExt("ack"));
    }

    [Fact]
    public async Task ConnectRepliesAreNumberedAndUnacknowledgedMessagesAreSentAgain()
    {
        await using var server = new TestServer();
        await server.StartAsync();
        var subscriber = await server.HandshakeAsync(AckExt("true"));
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");

        var empty = await server.AnswerAsync(await server.ConnectAsync(subscriber, timeout: 0));
        Assert.Equal(1, empty.Reply!.GetExt("ack")!.GetValue<long>());
        Assert.Empty(empty.Deliveries);

        await server.PublishAsync(publisher, "/open/room", "1");
        var first = await server.AnswerAsync(await server.ConnectAsync(subscriber, ext: AckExt("1")));
        Assert.Equal(ConnectWake.Messages, first.Wake);
        Assert.Equal(2, first.Reply!.GetExt("ack")!.GetValue<long>());
        Assert.Equal([1], first.DeliveryJson.Select(d => d.GetProperty("data").GetInt32()));

        // The client lost batch 2 and acknowledges only batch 1: message 1 comes again, with the new one.
        await server.PublishAsync(publisher, "/open/room", "2");
        var again = await server.AnswerAsync(await server.ConnectAsync(subscriber, ext: AckExt("1")));
        Assert.Equal(3, again.Reply!.GetExt("ack")!.GetValue<long>());
        Assert.Equal([1, 2], again.DeliveryJson.Select(d => d.GetProperty("data").GetInt32()));

        // Batch 3 acknowledged: nothing is pending, so the connect is held.
        var held = await server.ConnectAsync(subscriber, ext: AckExt("3"));
        Assert.False(held.Completion.IsCompleted);
        Assert.Equal(0, server.Server.GetSession(subscriber)!.Ack!.Unacknowledged);
    }

    [Fact]
    public async Task AnUnacknowledgedBatchMakesTheNextConnectAnswerAtOnce()
    {
        await using var server = new TestServer();
        var subscriber = await server.HandshakeAsync(AckExt("true"));
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");
        await server.PublishAsync(publisher, "/open/room", "1");
        await server.AnswerAsync(await server.ConnectAsync(subscriber));

        var pending = await server.ConnectAsync(subscriber);

        Assert.True(pending.Completion.IsCompleted);
        Assert.Equal([1], (await server.AnswerAsync(pending)).DeliveryJson.Select(d => d.GetProperty("data").GetInt32()));
    }

    [Fact]
    public async Task WithoutAckConnectRepliesCarryNoBatchNumberAndMessagesAreSentOnce()
    {
        await using var server = new TestServer();
        var subscriber = await server.HandshakeAsync();
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");
        await server.PublishAsync(publisher, "/open/room", "1");

        var first = await server.AnswerAsync(await server.ConnectAsync(subscriber));
        var second = await server.ConnectAsync(subscriber);

        Assert.Null(first.Reply!.GetExt("ack"));
        Assert.Single(first.Deliveries);
        Assert.False(second.Completion.IsCompleted);
    }

    [Fact]
    public async Task ANonNumericAckIsIgnored()
    {
        await using var server = new TestServer();
        var subscriber = await server.HandshakeAsync(AckExt("true"));
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");
        await server.PublishAsync(publisher, "/open/room", "1");
        await server.AnswerAsync(await server.ConnectAsync(subscriber));

        var pending = await server.ConnectAsync(subscriber, ext: AckExt("\"1\""));

        Assert.True(pending.Completion.IsCompleted);
        Assert.Single((await server.AnswerAsync(pending)).Deliveries);
    }
}
