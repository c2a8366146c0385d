using System.Text.Json.Nodes;
using Parley.Bayeux.Extensions;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;
using Parley.Bayeux.Tests.Support;

namespace Parley.Bayeux.Tests.Extensions;

public sealed class ExtensionPipelineTests
{
    private sealed class Deleting(string channel) : IBayeuxExtension
    {
        public ValueTask<bool> IncomingAsync(ServerSession? session, BayeuxMessage message, CancellationToken cancellationToken) =>
            ValueTask.FromResult(message.Channel != channel);
    }

    private sealed class RequiringToken : IBayeuxExtension
    {
        public ValueTask<bool> IncomingAsync(ServerSession? session, BayeuxMessage message, CancellationToken cancellationToken)
        {
            if (message.Channel == "/meta/subscribe" && message.GetExt("token") is null)
                message.Error = "403::token_required";
            return ValueTask.FromResult(true);
        }
    }

    private sealed class Recording : IBayeuxExtension
    {
        public List<(string? Session, string? Channel, bool? Successful)> Replies { get; } = [];

        public void OutgoingReply(ServerSession? session, BayeuxMessage request, BayeuxMessage reply) =>
            Replies.Add((session?.Id, reply.Channel, reply.Successful));
    }

    private sealed class Rewriting : IBayeuxExtension
    {
        public bool OutgoingPublish(BayeuxMessage publish)
        {
            if (publish.Channel == "/open/drop")
                return false;
            publish.Data = Json.Parse("\"rewritten\"");
            return true;
        }
    }

    [Fact]
    public async Task AnIncomingExtensionReturningFalseDeletesTheMessage()
    {
        await using var server = new TestServer();
        server.Server.AddExtension(new Deleting("/open/room"));
        var subscriber = await server.HandshakeAsync();
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");

        var reply = await server.PublishAsync(publisher, "/open/room", id: "p");

        Assert.False(reply.Successful);
        Assert.Equal("404::message_deleted", reply.Error);
        Assert.Equal("p", reply.Id);
        Assert.Equal(0, server.Server.GetSession(subscriber)!.QueueLength);
    }

    [Fact]
    public async Task AnIncomingExtensionCanDeleteAHandshake()
    {
        await using var server = new TestServer();
        server.Server.AddExtension(new Deleting("/meta/handshake"));

        var reply = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/handshake", Version = "1.0" });

        Assert.Equal("404::message_deleted", reply.Error);
        Assert.Equal(0, server.Server.SessionCount);
    }

    [Fact]
    public async Task AnIncomingExtensionThatSetsAnErrorGetsThatErrorBack()
    {
        await using var server = new TestServer();
        server.Server.AddExtension(new RequiringToken());
        var clientId = await server.HandshakeAsync();

        var refused = await server.SubscribeAsync(clientId, "/open/room");
        var accepted = await server.SendOneAsync(new BayeuxMessage
        {
            Channel = "/meta/subscribe",
            ClientId = clientId,
            Subscription = Json.String("/open/room"),
            Ext = new JsonObject { ["token"] = "t" },
        });

        Assert.False(refused.Successful);
        Assert.Equal("403::token_required", refused.Error);
        Assert.Equal("sub", refused.Id);
        Assert.True(accepted.Successful);
        Assert.Equal(["/open/room"], server.Server.GetSession(clientId)!.Subscriptions);
    }

    [Fact]
    public async Task OutgoingReplyHooksSeeEveryReplyWithItsSession()
    {
        await using var server = new TestServer();
        var recording = new Recording();
        server.Server.AddExtension(recording);

        var clientId = await server.HandshakeAsync();
        await server.SubscribeAsync(clientId, "/open/room");
        await server.PublishAsync(clientId, "/open/room");
        await server.AnswerAsync(await server.ConnectAsync(clientId));

        Assert.Equal(
            [(clientId, "/meta/handshake", true), (clientId, "/meta/subscribe", true), (clientId, "/open/room", true), (clientId, "/meta/connect", true)],
            recording.Replies);
    }

    [Fact]
    public async Task OutgoingPublishHooksMayRewriteOrDropABroadcast()
    {
        await using var server = new TestServer();
        server.Server.AddExtension(new Rewriting());
        var subscriber = await server.HandshakeAsync();
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/*");

        Assert.True((await server.PublishAsync(publisher, "/open/drop")).Successful);
        Assert.True((await server.PublishAsync(publisher, "/open/keep")).Successful);

        var answer = await server.AnswerAsync(await server.ConnectAsync(subscriber));
        var delivery = Assert.Single(answer.DeliveryJson);
        Assert.Equal("/open/keep", delivery.GetProperty("channel").GetString());
        Assert.Equal("rewritten", delivery.GetProperty("data").GetString());
    }

    [Fact]
    public async Task ATimesyncRequestGetsTcTsPAndA()
    {
        await using var server = new TestServer();
        var now = TestServer.Start.ToUnixTimeMilliseconds();
        var tc = now - 150;

        var reply = await server.SendOneAsync(new BayeuxMessage
        {
            Channel = "/meta/handshake",
            Version = "1.0",
            Ext = (JsonObject)JsonNode.Parse("{\"timesync\":{\"tc\":" + tc + ",\"l\":50,\"o\":0}}")!,
        });

        var sync = Assert.IsType<JsonObject>(reply.GetExt("timesync"));
        Assert.Equal(tc, sync["tc"]!.GetValue<long>());
        Assert.Equal(now, sync["ts"]!.GetValue<long>());
        Assert.Equal(0, sync["p"]!.GetValue<long>());
        Assert.Equal(100, sync["a"]!.GetValue<long>());
    }

    [Fact]
    public async Task TimesyncAnswersOnConnectsToo()
    {
        await using var server = new TestServer();
        var clientId = await server.HandshakeAsync();
        var tc = TestServer.Start.ToUnixTimeMilliseconds();

        var pending = await server.ConnectAsync(clientId, timeout: 0, ext: (JsonObject)JsonNode.Parse("{\"timesync\":{\"tc\":" + tc + ",\"l\":0,\"o\":0}}")!);
        var answer = await server.AnswerAsync(pending);

        var sync = Assert.IsType<JsonObject>(answer.Reply!.GetExt("timesync"));
        Assert.Equal(["tc", "ts", "p", "a"], sync.Select(p => p.Key));
    }

    [Fact]
    public async Task TimesyncIsNotAddedWhenNotAsked()
    {
        await using var server = new TestServer();

        var reply = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/handshake", Version = "1.0" });

        Assert.Null(reply.GetExt("timesync"));
    }
}
