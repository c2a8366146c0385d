using System.Text.Json;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Security;
using Parley.Bayeux.Server;
using Parley.Bayeux.Sessions;
using Parley.Bayeux.Tests.Support;

namespace Parley.Bayeux.Tests.Server;

public sealed class SecurityTests
{
    private sealed class FixedAuthorizer(Authorization verdict) : IChannelAuthorizer
    {
        public List<(ChannelOperation, string)> Calls { get; } = [];

        public ValueTask<Authorization> AuthorizeAsync(ChannelOperation operation, ServerSession session, string channel, BayeuxMessage message, CancellationToken cancellationToken)
        {
            Calls.Add((operation, channel));
            return ValueTask.FromResult(verdict);
        }
    }

    private sealed class TokenAuthenticator : IHandshakeAuthenticator
    {
        public ValueTask<HandshakeDecision?> AuthenticateAsync(BayeuxMessage handshake, IBayeuxRequestContext request, CancellationToken cancellationToken)
        {
            var token = handshake.GetExt("auth")?["token"]?.GetValue<string>();
            return ValueTask.FromResult(token switch
            {
                null => HandshakeDecision.Abstain,
                "good" => HandshakeDecision.Allow("alice"),
                _ => HandshakeDecision.Deny("401::invalid_token", Advice.Reconnects.Handshake),
            });
        }
    }

    private static BayeuxMessage Handshake(string? token = null) => new()
    {
        Channel = "/meta/handshake",
        Id = "1",
        Version = "1.0",
        SupportedConnectionTypes = ["long-polling"],
        Ext = token is null ? null : (System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse("{\"auth\":{\"token\":\"" + token + "\"}}")!,
    };

    [Fact]
    public async Task AnAnonymousHandshakeIsRefusedByDefault()
    {
        Assert.False(new BayeuxOptions().AllowAnonymous);
        await using var server = new TestServer(o => o.AllowAnonymous = false);

        var reply = await server.SendOneAsync(Handshake());

        Assert.False(reply.Successful);
        Assert.Equal("403::handshake_denied", reply.Error);
        Assert.Equal("1", reply.Id);
        Assert.Null(reply.ClientId);
        Assert.Equal(Advice.Reconnects.None, reply.Advice!.Reconnect);
        Assert.Equal(0, server.Server.SessionCount);
        Assert.Equal(1, server.Server.Metrics.HandshakesRefused);
    }

    [Fact]
    public async Task AnAnonymousHandshakeIsAcceptedWithAllowAnonymous()
    {
        await using var server = new TestServer(o => o.AllowAnonymous = true);

        var reply = await server.SendOneAsync(Handshake());

        Assert.True(reply.Successful);
        Assert.Equal("1.0", reply.Version);
        Assert.Equal("1.0", reply.MinimumVersion);
        Assert.Contains("long-polling", reply.SupportedConnectionTypes!);
        Assert.Contains("websocket", reply.SupportedConnectionTypes!);
        Assert.Equal(Advice.Reconnects.Retry, reply.Advice!.Reconnect);
        Assert.Equal(0, reply.Advice.Interval);
        Assert.Equal(server.Options.Timeout, reply.Advice.Timeout);
        Assert.Matches("^[0-9a-f]{32}$", reply.ClientId);
        Assert.Null(server.Server.GetSession(reply.ClientId!)!.UserId);
    }

    [Fact]
    public async Task EveryHandshakeGetsADistinctClientId()
    {
        await using var server = new TestServer();

        var ids = new HashSet<string>();
        for (var i = 0; i < 50; i++)
            Assert.True(ids.Add(await server.HandshakeAsync()));
    }

    [Fact]
    public async Task AnAuthenticatorDecidesBeforeTheAnonymousRule()
    {
        await using var server = new TestServer(o => o.AllowAnonymous = false);
        server.Server.AddAuthenticator(new TokenAuthenticator());

        var good = await server.SendOneAsync(Handshake("good"));
        var bad = await server.SendOneAsync(Handshake("bad"));
        var none = await server.SendOneAsync(Handshake());

        Assert.True(good.Successful);
        Assert.Equal("alice", server.Server.GetSession(good.ClientId!)!.UserId);
        Assert.Equal("401::invalid_token", bad.Error);
        Assert.Equal(Advice.Reconnects.Handshake, bad.Advice!.Reconnect);
        Assert.Equal("403::handshake_denied", none.Error);
    }

    [Fact]
    public async Task AHandshakeWithNoCommonTransportIsRefused()
    {
        await using var server = new TestServer();

        var reply = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/handshake", Version = "1.0", SupportedConnectionTypes = ["flash"] });

        Assert.False(reply.Successful);
        Assert.NotNull(reply.Error);
        Assert.Equal(0, server.Server.SessionCount);
    }

    [Fact]
    public async Task AHandshakeBeyondMaxSessionsGets503()
    {
        await using var server = new TestServer(o => o.MaxSessions = 1);
        await server.HandshakeAsync();

        var result = await server.SendAsync(Handshake());

        Assert.Equal(503, result.Status);
        Assert.Equal("503::server_overloaded", Assert.Single(result.Replies).Error);
        Assert.Equal(1, server.Server.SessionCount);
    }

    [Fact]
    public async Task PublishingToAChannelThatIsNotOpenIsRefused()
    {
        await using var server = new TestServer(o => o.OpenChannels = ["/open/**"]);
        var clientId = await server.HandshakeAsync();

        var reply = await server.PublishAsync(clientId, "/closed/room");

        Assert.False(reply.Successful);
        Assert.Equal("403:denied_by_security_policy:publish_denied", reply.Error);
        Assert.Equal("pub", reply.Id);
    }

    [Theory]
    [InlineData("/closed/room")]
    [InlineData("/closed/*")]
    [InlineData("/closed/**")]
    [InlineData("/**")]
    [InlineData("/*")]
    public async Task SubscribingToAChannelThatIsNotOpenIsRefused(string channel)
    {
        await using var server = new TestServer(o => o.OpenChannels = ["/open/**"]);
        var clientId = await server.HandshakeAsync();

        var reply = await server.SubscribeAsync(clientId, channel);

        Assert.False(reply.Successful);
        Assert.Equal("403:denied_by_security_policy:subscribe_denied", reply.Error);
        Assert.Equal(channel, reply.Subscription!.Value.GetString());
        Assert.Empty(server.Server.GetSession(clientId)!.Subscriptions);
    }

    [Theory]
    [InlineData("/open/room")]
    [InlineData("/open/a/b/c")]
    [InlineData("/open/*")]
    [InlineData("/open/**")]
    [InlineData("/open/a/**")]
    public async Task OpenChannelsMayBeSubscribed(string channel)
    {
        await using var server = new TestServer(o => o.OpenChannels = ["/open/**"]);
        var clientId = await server.HandshakeAsync();

        var reply = await server.SubscribeAsync(clientId, channel);

        Assert.True(reply.Successful, reply.Error);
        Assert.Equal([channel], server.Server.GetSession(clientId)!.Subscriptions);
    }

    [Fact]
    public async Task OpenChannelsMayBePublishedTo()
    {
        await using var server = new TestServer(o => o.OpenChannels = ["/open/**"]);
        var clientId = await server.HandshakeAsync();

        Assert.True((await server.PublishAsync(clientId, "/open/room")).Successful);
        Assert.True((await server.PublishAsync(clientId, "/open/a/b")).Successful);
    }

    [Fact]
    public async Task AGrantingAuthorizerOpensAClosedChannel()
    {
        await using var server = new TestServer(o => o.OpenChannels = []);
        var grant = new FixedAuthorizer(Authorization.Grant);
        server.Server.AddAuthorizer("/private/**", grant);
        var clientId = await server.HandshakeAsync();

        Assert.True((await server.SubscribeAsync(clientId, "/private/room")).Successful);
        Assert.True((await server.PublishAsync(clientId, "/private/room")).Successful);
        Assert.Equal([(ChannelOperation.Subscribe, "/private/room"), (ChannelOperation.Publish, "/private/room")], grant.Calls);
    }

    [Fact]
    public async Task AuthorizerDenyWinsOverGrant()
    {
        await using var server = new TestServer(o => o.OpenChannels = []);
        server.Server.AddAuthorizer("/private/room", new FixedAuthorizer(Authorization.Deny));
        server.Server.AddAuthorizer("/private/**", new FixedAuthorizer(Authorization.Grant));
        server.Server.AddAuthorizer("/private/*", new FixedAuthorizer(Authorization.Grant));
        var clientId = await server.HandshakeAsync();

        Assert.Equal("403:denied_by_security_policy:subscribe_denied", (await server.SubscribeAsync(clientId, "/private/room")).Error);
        Assert.Equal("403:denied_by_security_policy:publish_denied", (await server.PublishAsync(clientId, "/private/room")).Error);
        Assert.True((await server.SubscribeAsync(clientId, "/private/other")).Successful);
    }

    [Fact]
    public async Task AuthorizerDenyOnAWildcardWinsOverAGrantOnTheChannel()
    {
        await using var server = new TestServer(o => o.OpenChannels = []);
        server.Server.AddAuthorizer("/private/room", new FixedAuthorizer(Authorization.Grant));
        server.Server.AddAuthorizer("/**", new FixedAuthorizer(Authorization.Deny));
        var clientId = await server.HandshakeAsync();

        Assert.False((await server.SubscribeAsync(clientId, "/private/room")).Successful);
    }

    [Fact]
    public async Task AuthorizerDenyWinsOverAnOpenChannel()
    {
        await using var server = new TestServer(o => o.OpenChannels = ["/open/**"]);
        server.Server.AddAuthorizer("/open/secret", new FixedAuthorizer(Authorization.Deny));
        var clientId = await server.HandshakeAsync();

        Assert.False((await server.SubscribeAsync(clientId, "/open/secret")).Successful);
        Assert.False((await server.PublishAsync(clientId, "/open/secret")).Successful);
    }

    [Fact]
    public async Task AWildcardSubscriptionCannotBypassADenyRegisteredOnAPatternCoveringIt()
    {
        // A deny on /open/** covers /open/room (refused) and equally every channel /open/* can match.
        await using var server = new TestServer(o => o.OpenChannels = ["/open/**"]);
        server.Server.AddAuthorizer("/open/**", new FixedAuthorizer(Authorization.Deny));
        var clientId = await server.HandshakeAsync();
        Assert.False((await server.SubscribeAsync(clientId, "/open/room")).Successful);

        var wildcard = await server.SubscribeAsync(clientId, "/open/*");

        Assert.False(wildcard.Successful);
        Assert.Equal("403:denied_by_security_policy:subscribe_denied", wildcard.Error);
    }

    [Theory]
    [InlineData("/meta/connect")]
    [InlineData("/meta/handshake")]
    [InlineData("/meta/*")]
    [InlineData("/meta/**")]
    public async Task SubscribingToAMetaChannelIsRefused(string channel)
    {
        await using var server = new TestServer(o => o.OpenChannels = ["/**"]);
        var clientId = await server.HandshakeAsync();

        var reply = await server.SubscribeAsync(clientId, channel);

        Assert.False(reply.Successful);
        Assert.StartsWith("403:", reply.Error, StringComparison.Ordinal);
        Assert.Empty(server.Server.GetSession(clientId)!.Subscriptions);
    }

    [Fact]
    public async Task ASubscriptionListWithOneRefusedChannelSubscribesNone()
    {
        await using var server = new TestServer(o => o.OpenChannels = ["/open/**"]);
        var clientId = await server.HandshakeAsync();

        var reply = await server.SendOneAsync(new BayeuxMessage
        {
            Channel = "/meta/subscribe",
            ClientId = clientId,
            Subscription = Json.Parse("[\"/open/a\",\"/closed/b\"]"),
        });

        Assert.False(reply.Successful);
        Assert.Equal(JsonValueKind.Array, reply.Subscription!.Value.ValueKind);
        Assert.Empty(server.Server.GetSession(clientId)!.Subscriptions);
    }

    [Fact]
    public async Task ASubscriptionListIsEchoedVerbatim()
    {
        await using var server = new TestServer(o => o.OpenChannels = ["/open/**"]);
        var clientId = await server.HandshakeAsync();

        var reply = await server.SendOneAsync(new BayeuxMessage
        {
            Channel = "/meta/subscribe",
            ClientId = clientId,
            Id = "s",
            Subscription = Json.Parse("[\"/open/a\",\"/open/b/**\"]"),
        });

        Assert.True(reply.Successful);
        Assert.Equal("[\"/open/a\",\"/open/b/**\"]", reply.Subscription!.Value.GetRawText());
        Assert.Equal(["/open/a", "/open/b/**"], server.Server.GetSession(clientId)!.Subscriptions.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("\"not a channel\"", "405::channel_invalid")]
    [InlineData("\"/a/*/b\"", "405::channel_invalid")]
    [InlineData("[]", "400::subscription_invalid")]
    [InlineData("[1]", "400::subscription_invalid")]
    [InlineData("42", "400::subscription_invalid")]
    [InlineData("null", "400::subscription_missing")]
    public async Task AMalformedSubscriptionIsRefused(string subscriptionJson, string error)
    {
        await using var server = new TestServer();
        var clientId = await server.HandshakeAsync();

        var reply = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/subscribe", ClientId = clientId, Subscription = Json.Parse(subscriptionJson) });

        Assert.False(reply.Successful);
        Assert.Equal(error, reply.Error);
    }

    [Fact]
    public async Task SubscribingToAServiceChannelSucceedsAsANoOp()
    {
        await using var server = new TestServer(o => o.OpenChannels = []);
        var clientId = await server.HandshakeAsync();

        var reply = await server.SubscribeAsync(clientId, "/service/im/send");

        Assert.True(reply.Successful);
        Assert.Equal("/service/im/send", reply.Subscription!.Value.GetString());
        Assert.Empty(server.Server.GetSession(clientId)!.Subscriptions);
    }

    [Fact]
    public async Task UnsubscribeStopsDeliveries()
    {
        await using var server = new TestServer();
        var subscriber = await server.HandshakeAsync();
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");

        var reply = await server.SendOneAsync(new BayeuxMessage { Channel = "/meta/unsubscribe", ClientId = subscriber, Subscription = Json.String("/open/room") });
        await server.PublishAsync(publisher, "/open/room");

        Assert.True(reply.Successful);
        Assert.Equal("/open/room", reply.Subscription!.Value.GetString());
        Assert.Equal(0, server.Server.GetSession(subscriber)!.QueueLength);
    }

    [Theory]
    [InlineData("/meta/whatever", "400::channel_unknown")]
    [InlineData("/open/*", "405::channel_invalid")]
    [InlineData("/open/**", "405::channel_invalid")]
    [InlineData("no-slash", "405::channel_invalid")]
    public async Task PublishingToAMetaOrWildcardChannelIsRefused(string channel, string error)
    {
        await using var server = new TestServer();
        var clientId = await server.HandshakeAsync();

        Assert.Equal(error, (await server.PublishAsync(clientId, channel)).Error);
    }

    [Fact]
    public async Task APublishWithoutDataIsRefused()
    {
        await using var server = new TestServer();
        var clientId = await server.HandshakeAsync();

        var reply = await server.SendOneAsync(new BayeuxMessage { Channel = "/open/room", ClientId = clientId, Id = "x" });

        Assert.Equal("400::data_missing", reply.Error);
    }

    [Fact]
    public async Task AMessageWithoutChannelIsRefused()
    {
        await using var server = new TestServer();

        var reply = await server.SendOneAsync(new BayeuxMessage { Id = "x" });

        Assert.Equal("400::channel_missing", reply.Error);
        Assert.Equal("x", reply.Id);
    }

    [Fact]
    public async Task AnInvalidMessageInABatchGetsItsOwnErrorAndTheOthersAreServed()
    {
        await using var server = new TestServer();
        var clientId = await server.HandshakeAsync();
        var parsed = BayeuxCodec.Parse(
            "[{\"channel\":\"/open/a\",\"clientId\":\"" + clientId + "\",\"id\":\"1\",\"data\":1},{\"channel\":\"/open/b\",\"id\":\"2\",\"data\":{},\"clientId\":false},{\"channel\":\"/open/c\",\"clientId\":\"" + clientId + "\",\"id\":3,\"data\":2}]",
            100);

        var result = await server.SendAsync(parsed.Messages!);

        Assert.Equal(3, result.Replies.Count);
        Assert.True(result.Replies[0].Successful);
        Assert.Equal("2", result.Replies[1].Id);
        Assert.Equal("/open/b", result.Replies[1].Channel);
        Assert.Equal("400::message_invalid", result.Replies[1].Error);
        Assert.True(result.Replies[2].Successful);
        Assert.Equal("3", result.Replies[2].Id);
    }
}
