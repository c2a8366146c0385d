using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Bayeux.AspNetCore.Tests.Support;
using Parley.Testing;

namespace Parley.Bayeux.AspNetCore.Tests.Transports;

/// <summary>
/// What every Bayeux transport must do, run once per transport by the subclasses. Each test
/// starts its own server; the clients are raw, so assertions are about the wire.
/// </summary>
public abstract class TransportSpecification
{
    private protected abstract BayeuxClient CreateClient(TestHost host);

    /// <summary>False for WebSocket: its replies travel in frames, not HTTP responses with a status.</summary>
    private protected virtual bool RepliesCarryHttpStatus => true;

    /// <summary>How this transport refuses a message larger than MaxMessageSize.</summary>
    private protected virtual void AssertRefusedAsTooLarge(BayeuxResponse response)
    {
        Assert.True(response.Status == 413, $"expected HTTP 413, got {response}");
        Assert.True(response.HasError("413"), $"expected a 413 Bayeux error, got {response}");
    }

    private protected void AssertRefused(BayeuxResponse response, int httpStatus, string error)
    {
        if (RepliesCarryHttpStatus)
            Assert.True(response.Status == httpStatus, $"expected HTTP {httpStatus}, got {response}");
        Assert.True(response.HasError(error), $"expected error '{error}', got {response}");
    }

    /// <summary>A client that has handshaken, connected once and subscribed to <paramref name="channel"/>.</summary>
    private protected async Task<BayeuxClient> SubscribedClientAsync(TestHost host, string channel)
    {
        var client = CreateClient(host);
        await client.StartSessionAsync();
        var reply = await client.SubscribeAsync(channel);
        Assert.True(reply.Bool("successful") == true, $"subscribe to {channel} failed: {reply.ToJsonString()}");
        return client;
    }

    /// <summary>Proves a client is still served: it publishes to its own channel and receives the message.</summary>
    private protected static async Task AssertStillServedAsync(BayeuxClient client, string channel)
    {
        var marker = Guid.NewGuid().ToString("N");
        var publish = await client.PublishAsync(channel, new JsonObject { ["alive"] = marker });
        Assert.True(publish.Reply.Bool("successful") == true, $"publish failed: {publish}");
        var delivery = await client.NextDeliveryAsync();
        Assert.Equal(channel, delivery.Str("channel"));
        Assert.Equal(marker, delivery.Obj("data")?.Str("alive"));
    }

    [Fact]
    public async Task HandshakeConnectSubscribePublishUnsubscribeDisconnectRoundTrip()
    {
        await using var host = await TestHost.StartAsync();
        await using var subscriber = CreateClient(host);
        await using var publisher = CreateClient(host);

        var handshake = await subscriber.HandshakeAsync();
        Assert.Equal("1.0", handshake.Str("version"));
        Assert.Matches("^[0-9a-zA-Z]{32,}$", handshake.Str("clientId"));
        Assert.Contains(subscriber.ConnectionType, handshake["supportedConnectionTypes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("retry", handshake.Advice()?.Str("reconnect"));

        var connect = await subscriber.ConnectAsync(timeout: 0);
        Assert.True(connect.Reply.Bool("successful") == true, connect.ToString());

        var subscribe = await subscriber.SubscribeAsync("/pub/room");
        Assert.True(subscribe.Bool("successful") == true, subscribe.ToJsonString());
        Assert.Equal("/pub/room", subscribe.Str("subscription"));

        await publisher.StartSessionAsync();
        var publish = await publisher.PublishAsync("/pub/room", new JsonObject { ["text"] = "hello" });
        Assert.True(publish.Reply.Bool("successful") == true, publish.ToString());
        Assert.False(publish.Reply.Has("data"), "a publish reply must not carry data");

        var delivery = await subscriber.NextDeliveryAsync();
        Assert.Equal("/pub/room", delivery.Str("channel"));
        Assert.Equal("hello", delivery.Obj("data")?.Str("text"));

        var unsubscribe = await subscriber.UnsubscribeAsync("/pub/room");
        Assert.True(unsubscribe.Bool("successful") == true, unsubscribe.ToJsonString());
        Assert.Equal("/pub/room", unsubscribe.Str("subscription"));
        Assert.True((await subscriber.SubscribeAsync("/pub/marker")).Bool("successful") == true);
        await publisher.PublishAsync("/pub/room", new JsonObject { ["text"] = "after unsubscribe" });
        await publisher.PublishAsync("/pub/marker", new JsonObject { ["text"] = "marker" });
        var next = await subscriber.NextDeliveryAsync();
        Assert.Equal("/pub/marker", next.Str("channel"));

        var disconnect = await subscriber.DisconnectAsync();
        Assert.True(disconnect.Bool("successful") == true, disconnect.ToJsonString());
        await Eventually.HoldsAsync(() => host.Server.GetSession(subscriber.ClientId!) is null, "the disconnected session is gone");
        var afterwards = await subscriber.ConnectAsync(timeout: 0);
        Assert.Equal("402::session_unknown", afterwards.Reply.Str("error"));
    }

    [Fact]
    public async Task MessagePublishedBetweenPollsArrivesOnNextConnect()
    {
        await using var host = await TestHost.StartAsync();
        await using var subscriber = await SubscribedClientAsync(host, "/pub/between");
        await using var publisher = CreateClient(host);
        await publisher.StartSessionAsync();

        var publish = await publisher.PublishAsync("/pub/between", new JsonObject { ["n"] = 1 });
        Assert.True(publish.Reply.Bool("successful") == true, publish.ToString());
        await Eventually.HoldsAsync(() => host.Server.Metrics.Deliveries >= 1, "the message is queued to the subscriber");

        var connect = await subscriber.ConnectAsync();
        Assert.True(connect.Reply.Bool("successful") == true, connect.ToString());
        var delivery = await subscriber.NextDeliveryAsync();
        Assert.Equal("/pub/between", delivery.Str("channel"));
        Assert.Equal(1, delivery.Obj("data")?.Long("n"));
    }

    [Fact]
    public async Task UnknownClientIdGetsSessionUnknownWithHandshakeAdvice()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = CreateClient(host);
        client.ClientId = "0123456789abcdef0123456789abcdef";

        var connect = await client.ConnectAsync(timeout: 0);
        var reply = connect.Reply;
        Assert.False(reply.Bool("successful"));
        Assert.Equal("402::session_unknown", reply.Str("error"));
        Assert.Equal("handshake", reply.Advice()?.Str("reconnect"));

        var publish = await client.PublishAsync("/pub/x", new JsonObject());
        Assert.Equal("402::session_unknown", publish.Reply.Str("error"));
        Assert.Equal("handshake", publish.Reply.Advice()?.Str("reconnect"));
    }

    [Fact]
    public async Task BroadcastDeliveriesCarryNeitherClientIdNorId()
    {
        await using var host = await TestHost.StartAsync();
        await using var subscriber = await SubscribedClientAsync(host, "/pub/**");
        await using var publisher = CreateClient(host);
        await publisher.StartSessionAsync();

        var publish = publisher.Message("/pub/chat/room1");
        publish["data"] = new JsonObject { ["text"] = "hi" };
        var response = await publisher.SendAsync(publish);
        Assert.True(response.Reply.Bool("successful") == true, response.ToString());

        var delivery = await subscriber.NextDeliveryAsync();
        Assert.Equal("/pub/chat/room1", delivery.Str("channel"));
        Assert.Equal("hi", delivery.Obj("data")?.Str("text"));
        Assert.False(delivery.Has("clientId"), $"delivery leaks the publisher's clientId: {delivery.ToJsonString()}");
        Assert.False(delivery.Has("id"), $"delivery carries the publisher's message id: {delivery.ToJsonString()}");
        Assert.All(delivery.Select(p => p.Key), key => Assert.Contains(key, new[] { "channel", "data", "ext" }));
    }

    [Fact]
    public async Task ServiceChannelsAreAnsweredToTheCallerAndNeverBroadcast()
    {
        await using var host = await TestHost.StartAsync();
        await using var watcher = CreateClient(host);
        await watcher.StartSessionAsync();
        var subscribe = await watcher.SubscribeAsync(new JsonArray("/service/**", "/service/echo", "/pub/marker"));
        Assert.True(subscribe.Bool("successful") == true, subscribe.ToJsonString());
        Assert.Equal(3, subscribe["subscription"]!.AsArray().Count);

        await using var caller = CreateClient(host);
        await caller.StartSessionAsync();
        var call = caller.Message("/service/echo");
        call["data"] = new JsonObject { ["question"] = "ping" };
        var response = await caller.SendAsync(call);

        var id = call.Str("id")!;
        var reply = response.ReplyTo(id);
        Assert.True(reply.Bool("successful") == true, response.ToString());
        Assert.False(reply.Has("data"), $"the publish reply must not carry the result: {response}");
        var result = Assert.Single(response.ResultsOf(id));
        Assert.Equal("/service/echo", result.Str("channel"));
        Assert.Equal("ping", result.Obj("data")?.Str("question"));

        // The marker is published after the service call: anything the watcher got from the
        // service channel would be ahead of it.
        await caller.PublishAsync("/pub/marker", new JsonObject { ["after"] = "service call" });
        var delivery = await watcher.NextDeliveryAsync();
        Assert.Equal("/pub/marker", delivery.Str("channel"));
        Assert.False(caller.TryTakeDelivery(out var extra), $"the caller got a broadcast: {extra?.ToJsonString()}");
    }

    [Theory]
    [InlineData("/meta/connect")]
    [InlineData("/meta/**")]
    [InlineData("/meta/handshake")]
    public async Task MetaChannelsAreNotSubscribable(string channel)
    {
        await using var host = await TestHost.StartAsync();
        await using var client = CreateClient(host);
        await client.StartSessionAsync();

        var reply = await client.SubscribeAsync(channel);
        Assert.False(reply.Bool("successful"));
        Assert.StartsWith("403:", reply.Str("error"));
        Assert.Equal(channel, reply.Str("subscription"));
    }

    [Fact]
    public async Task MalformedJsonIsRefusedWhileOthersAreServed()
    {
        await using var host = await TestHost.StartAsync();
        await using var bystander = await SubscribedClientAsync(host, "/pub/alive");
        await using var client = CreateClient(host);
        await client.StartSessionAsync();

        var response = await client.SendRawAsync("[{\"channel\":\"/meta/connect\",\"clientId\":");
        AssertRefused(response, 400, "400:");

        var notAnArray = await client.SendRawAsync("\"just a string\"");
        AssertRefused(notAnArray, 400, "400:");

        await AssertStillServedAsync(bystander, "/pub/alive");
    }

    [Fact]
    public async Task MessageWithWrongFieldTypesIsRefusedAloneWhileTheRestIsServed()
    {
        await using var host = await TestHost.StartAsync();
        await using var bystander = await SubscribedClientAsync(host, "/pub/alive");
        await using var client = await SubscribedClientAsync(host, "/pub/ok");

        var bad = client.Message("/pub/ok");
        bad["channel"] = 5;
        bad["data"] = new JsonObject();
        var badSubscription = client.Message("/meta/subscribe");
        badSubscription["subscription"] = 5;
        var good = client.Message("/pub/ok");
        good["data"] = new JsonObject { ["n"] = 2 };
        var response = await client.SendAsync(bad, badSubscription, good);

        var badReply = response.ReplyTo(bad.Str("id")!);
        Assert.False(badReply.Bool("successful"));
        Assert.StartsWith("400:", badReply.Str("error"));
        var badSubscriptionReply = response.ReplyTo(badSubscription.Str("id")!);
        Assert.False(badSubscriptionReply.Bool("successful"));
        Assert.StartsWith("400:", badSubscriptionReply.Str("error"));
        Assert.True(response.ReplyTo(good.Str("id")!).Bool("successful") == true, response.ToString());

        var delivery = await client.NextDeliveryAsync();
        Assert.Equal("/pub/ok", delivery.Str("channel"));
        await AssertStillServedAsync(bystander, "/pub/alive");
    }

    [Fact]
    public async Task OversizedMessageIsRefusedWhileOthersAreServed()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxMessageSize = 4_096);
        await using var bystander = await SubscribedClientAsync(host, "/pub/alive");
        await using var client = CreateClient(host);
        await client.StartSessionAsync();

        var big = client.Message("/pub/big");
        big["data"] = new string('x', 5_000);
        var response = await client.SendRawAsync(new JsonArray(big).ToJsonString(Json.Wire));
        AssertRefusedAsTooLarge(response);

        await AssertStillServedAsync(bystander, "/pub/alive");
    }

    [Fact]
    public async Task TooManyMessagesInOneRequestAreRefusedWhileOthersAreServed()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxMessagesPerRequest = 10);
        await using var bystander = await SubscribedClientAsync(host, "/pub/alive");
        await using var client = await SubscribedClientAsync(host, "/pub/many");

        var batch = new JsonArray();
        for (var i = 0; i < 11; i++)
        {
            var publish = client.Message("/pub/many");
            publish["data"] = i;
            batch.Add(publish);
        }
        var response = await client.SendRawAsync(batch.ToJsonString(Json.Wire));
        AssertRefused(response, 413, "too_many_messages");
        Assert.Equal(0, host.Server.Metrics.Publishes);

        await AssertStillServedAsync(bystander, "/pub/alive");
    }

    [Theory]
    [InlineData("/a//b")]
    [InlineData("/a/*/b")]
    [InlineData("/pub//b")]
    [InlineData("/pub/*/b")]
    [InlineData("/pub/*")]
    [InlineData("/pub/**")]
    [InlineData("pub/no-leading-slash")]
    [InlineData("/pub/sp ace")]
    public async Task PublishToAnInvalidChannelIsRefusedWhileOthersAreServed(string channel)
    {
        await using var host = await TestHost.StartAsync();
        await using var bystander = await SubscribedClientAsync(host, "/pub/alive");
        await using var client = CreateClient(host);
        await client.StartSessionAsync();

        var response = await client.PublishAsync(channel, new JsonObject { ["x"] = 1 });
        var reply = response.Reply;
        Assert.False(reply.Bool("successful"));
        Assert.StartsWith("405:", reply.Str("error"));
        Assert.Equal(0, host.Server.Metrics.Publishes);

        await AssertStillServedAsync(bystander, "/pub/alive");
    }

    [Theory]
    [InlineData("/pub//b")]
    [InlineData("/pub/*/b")]
    [InlineData("/pub/**/b")]
    public async Task SubscribeToAnInvalidChannelIsRefused(string channel)
    {
        await using var host = await TestHost.StartAsync();
        await using var client = CreateClient(host);
        await client.StartSessionAsync();

        var reply = await client.SubscribeAsync(channel);
        Assert.False(reply.Bool("successful"));
        Assert.StartsWith("405:", reply.Str("error"));
        Assert.Equal(channel, reply.Str("subscription"));
        await AssertStillServedAsync(await SubscribedClientAsync(host, "/pub/alive"), "/pub/alive");
    }

    [Fact]
    public async Task HandshakeBeyondTheSessionLimitGetsOverloadedAndTheOthersAreServed()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxSessions = 3);
        await using var first = await SubscribedClientAsync(host, "/pub/limit");
        await using var second = await SubscribedClientAsync(host, "/pub/limit");
        await using var third = await SubscribedClientAsync(host, "/pub/limit");
        await using var fourth = CreateClient(host);

        var refused = await fourth.HandshakeResponseAsync();
        if (RepliesCarryHttpStatus)
            Assert.True(refused.Status == 503, $"expected HTTP 503, got {refused}");
        var reply = refused.Reply;
        Assert.False(reply.Bool("successful"));
        Assert.Equal("503::server_overloaded", reply.Str("error"));
        Assert.False(reply.Has("clientId"));
        Assert.Equal(3, host.Server.SessionCount);

        var publish = await first.PublishAsync("/pub/limit", new JsonObject { ["still"] = "here" });
        Assert.True(publish.Reply.Bool("successful") == true, publish.ToString());
        foreach (var client in new[] { first, second, third })
        {
            var delivery = await client.NextDeliveryAsync();
            Assert.Equal("here", delivery.Obj("data")?.Str("still"));
        }
        Assert.Equal(3, host.Server.SessionCount);
    }

    [Fact]
    public async Task ConnectionsBeyondTheBudgetGet503AndServiceResumesAfterTheyClose()
    {
        const int limit = 5;
        await using var host = await TestHost.StartAsync(o => o.MaxConnections = limit);
        var sockets = new List<TcpClient>();
        try
        {
            for (var i = 0; i < limit; i++)
            {
                var socket = new TcpClient();
                sockets.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, host.Port);
            }
            await Eventually.HoldsAsync(() => host.Budget.Open == limit, $"{limit} connections are counted");

            var extra = new TcpClient();
            sockets.Add(extra);
            await extra.ConnectAsync(IPAddress.Loopback, host.Port);
            var answer = await ReadUntilClosedAsync(extra.GetStream(), TimeSpan.FromSeconds(10));
            Assert.True(answer.StartsWith("HTTP/1.1 503", StringComparison.Ordinal), $"the connection over the budget got: '{answer}'");
        }
        finally
        {
            foreach (var socket in sockets)
                socket.Dispose();
        }

        await Eventually.HoldsAsync(() => host.Budget.Open == 0, "the closed connections are released");
        await using var subscriber = await SubscribedClientAsync(host, "/pub/alive");
        await AssertStillServedAsync(subscriber, "/pub/alive");
    }

    [Fact]
    public async Task RequestFromADisallowedOriginIsRefused()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = CreateClient(host);
        client.Origin = "http://evil.example";

        var response = await client.HandshakeResponseAsync();
        Assert.True(response.Status == 403, $"expected 403, got {response}");
        Assert.Null(response.Header("Access-Control-Allow-Origin"));
        Assert.Equal(0, host.Server.SessionCount);
    }

    [Fact]
    public async Task RequestFromAnAllowedOriginGetsCorsHeaders()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = CreateClient(host);
        client.Origin = TestHost.AllowedOrigin;

        var response = await client.HandshakeResponseAsync();
        Assert.True(response.Reply.Bool("successful") == true, response.ToString());
        Assert.Equal(TestHost.AllowedOrigin, response.Header("Access-Control-Allow-Origin"));
        Assert.Equal("true", response.Header("Access-Control-Allow-Credentials"));
        await client.ConnectAsync(timeout: 0);
        await client.SubscribeAsync("/pub/cors");
        await AssertStillServedAsync(client, "/pub/cors");
    }

    [Theory]
    [InlineData("你好，世界！中文消息")]
    [InlineData("👋🎉 👩‍👩‍👧 𝄞")]
    [InlineData("混合 mixed 😀 ok")]
    public async Task ChineseTextAndEmojiArriveByteForByte(string text)
    {
        await using var host = await TestHost.StartAsync();
        await using var subscriber = await SubscribedClientAsync(host, "/pub/unicode");
        await using var publisher = CreateClient(host);
        await publisher.StartSessionAsync();

        var publish = await publisher.PublishAsync("/pub/unicode", new JsonObject { ["text"] = text });
        Assert.True(publish.Reply.Bool("successful") == true, publish.ToString());
        var delivery = await subscriber.NextDeliveryAsync();
        Assert.Equal(text, delivery.Obj("data")?.Str("text"));
        var payload = subscriber.Payloads.Last(p => p.Contains("/pub/unicode", StringComparison.Ordinal));
        Assert.True(payload.Contains(text, StringComparison.Ordinal), $"the delivery's bytes differ from the published UTF-8 (escaped?): {payload}");

        var call = await publisher.PublishAsync("/service/echo", new JsonObject { ["text"] = text });
        var result = Assert.Single(call.ResultsOf(call.RequestIds[0]));
        Assert.Equal(text, result.Obj("data")?.Str("text"));
        Assert.True(call.Raw.Contains(text, StringComparison.Ordinal), $"the service result's bytes differ from the sent UTF-8 (escaped?): {call.Raw}");
    }

    private static async Task<string> ReadUntilClosedAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
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
