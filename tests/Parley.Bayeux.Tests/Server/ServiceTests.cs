using System.Text.Json;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Services;
using Parley.Bayeux.Tests.Support;

namespace Parley.Bayeux.Tests.Server;

public sealed class ServiceTests
{
    [Fact]
    public async Task AServiceResultComesBackAsASecondMessageWithTheSameIdWhileThePublishReplyHasNoData()
    {
        await using var server = new TestServer(o => o.OpenChannels = []);
        ServiceRequest? seen = null;
        server.Server.AddService("/service/im/echo", (request, _) =>
        {
            seen = request;
            return ValueTask.FromResult<JsonElement?>(Json.Parse("{\"ok\":true,\"echo\":" + request.Data.GetRawText() + "}"));
        });
        var clientId = await server.HandshakeAsync();

        var result = await server.SendAsync(new BayeuxMessage { Channel = "/service/im/echo", ClientId = clientId, Id = "42", Data = Json.Parse("{\"text\":\"你好\"}") });

        Assert.Equal(2, result.Replies.Count);
        var reply = result.Replies[0];
        Assert.Equal("/service/im/echo", reply.Channel);
        Assert.Equal("42", reply.Id);
        Assert.True(reply.Successful);
        Assert.Null(reply.Data);
        var answer = result.Replies[1];
        Assert.Equal("/service/im/echo", answer.Channel);
        Assert.Equal("42", answer.Id);
        Assert.True(answer.Data!.Value.GetProperty("ok").GetBoolean());
        Assert.Equal("你好", answer.Data!.Value.GetProperty("echo").GetProperty("text").GetString());
        Assert.Null(answer.ClientId);
        Assert.Equal(clientId, seen!.Session.Id);
        Assert.Equal("/service/im/echo", seen.Channel);
    }

    [Fact]
    public async Task AServiceWithoutResultGetsOnlyThePublishReply()
    {
        await using var server = new TestServer();
        server.Server.AddService("/service/im/typing", (_, _) => ValueTask.FromResult<JsonElement?>(null));
        var clientId = await server.HandshakeAsync();

        var reply = await server.PublishAsync(clientId, "/service/im/typing");

        Assert.True(reply.Successful);
        Assert.Null(reply.Data);
    }

    [Fact]
    public async Task AServiceRegisteredUnderAPatternHandlesTheChannelsBelowIt()
    {
        await using var server = new TestServer();
        var channels = new List<string>();
        server.Server.AddService("/service/im/**", (request, _) =>
        {
            channels.Add(request.Channel);
            return ValueTask.FromResult<JsonElement?>(null);
        });
        var clientId = await server.HandshakeAsync();

        await server.PublishAsync(clientId, "/service/im/send");
        await server.PublishAsync(clientId, "/service/im/read/x");

        Assert.Equal(["/service/im/send", "/service/im/read/x"], channels);
    }

    [Fact]
    public async Task APublishToAnUnknownServiceIsRefused()
    {
        await using var server = new TestServer();
        var clientId = await server.HandshakeAsync();

        var reply = await server.PublishAsync(clientId, "/service/nothing");

        Assert.False(reply.Successful);
        Assert.Equal("404::service_unknown", reply.Error);
    }

    [Fact]
    public async Task AFailingServiceGetsAnErrorReplyAndTheServerGoesOn()
    {
        await using var server = new TestServer();
        server.Server.AddService("/service/boom", (_, _) => throw new InvalidOperationException("boom"));
        var clientId = await server.HandshakeAsync();

        var reply = await server.PublishAsync(clientId, "/service/boom");
        var next = await server.PublishAsync(clientId, "/open/room");

        Assert.Equal("500::service_failed", reply.Error);
        Assert.True(next.Successful);
    }

    [Fact]
    public async Task AServicePublishIsNeverBroadcast()
    {
        await using var server = new TestServer(o => o.OpenChannels = ["/**"]);
        server.Server.AddService("/service/echo", (_, _) => ValueTask.FromResult<JsonElement?>(null));
        var listener = await server.HandshakeAsync();
        var caller = await server.HandshakeAsync();
        await server.SubscribeAsync(listener, "/**");

        await server.PublishAsync(caller, "/service/echo");

        Assert.Equal(0, server.Server.GetSession(listener)!.QueueLength);
    }

    [Theory]
    [InlineData("/chat/room")]
    [InlineData("/service/*/**")]
    [InlineData("service/x")]
    public void OnlyServiceChannelsTakeHandlers(string channel)
    {
        var server = new Parley.Bayeux.Server.BayeuxServer(new Parley.Bayeux.Server.BayeuxOptions());

        Assert.Throws<ArgumentException>(() => server.AddService(channel, (_, _) => ValueTask.FromResult<JsonElement?>(null)));
    }
}
