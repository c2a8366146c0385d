using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>Every refusal: handshakes without valid credentials, other people's channels, direct publishes, foreign conversations, forged senders.</summary>
public sealed class AuthorizationTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private ParleyApp App => fixture.App;

    private static void AssertDenied(JsonObject reply, string code)
    {
        Assert.True(reply.Bool("successful") == false, $"expected a refusal: {reply.ToJsonString()}");
        Assert.True(reply.Str("error")?.StartsWith(code, StringComparison.Ordinal) == true, $"expected error {code}: {reply.ToJsonString()}");
    }

    [Theory]
    [InlineData(ImTransport.WebSocket)]
    [InlineData(ImTransport.LongPolling)]
    public async Task AHandshakeWithABadTokenIsRefusedAsInvalidToken(ImTransport transport)
    {
        await using var user = await App.RegisterAsync("user");
        await using var bayeux = user.CreateBayeuxClient(transport);
        bayeux.HandshakeExt = new JsonObject { ["auth"] = new JsonObject { ["token"] = "not-a-real-token" } };

        var response = await bayeux.HandshakeResponseAsync();

        var reply = response.Reply;
        AssertDenied(reply, "401::invalid_token");
        Assert.Equal("401::invalid_token", reply.Str("error"));
        Assert.Null(bayeux.ClientId);
    }

    [Theory]
    [InlineData(ImTransport.WebSocket)]
    [InlineData(ImTransport.LongPolling)]
    public async Task AHandshakeWithoutATokenIsDenied(ImTransport transport)
    {
        await using var user = await App.RegisterAsync("user");
        await using var bayeux = user.CreateBayeuxClient(transport);

        var reply = (await bayeux.HandshakeResponseAsync()).Reply;

        Assert.Equal(false, reply.Bool("successful"));
        Assert.Equal("403::handshake_denied", reply.Str("error"));
    }

    [Fact]
    public async Task ALoggedOutTokenNoLongerHandshakesOrCallsTheApi()
    {
        await using var user = await App.RegisterAsync("user");
        (await user.PostAsync("/api/auth/logout")).Expect(HttpStatusCode.NoContent);

        await using var bayeux = user.CreateBayeuxClient(ImTransport.WebSocket);
        bayeux.HandshakeExt = new JsonObject { ["auth"] = new JsonObject { ["token"] = user.Token } };
        Assert.Equal("401::invalid_token", (await bayeux.HandshakeResponseAsync()).Reply.Str("error"));
        (await user.GetAsync("/api/me")).ExpectProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RestCallsWithoutATokenAreUnauthorized()
    {
        using var anonymous = App.CreateHttpClient();
        using var response = await anonymous.GetAsync("/api/conversations");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SubscribingToAnotherUsersChannelIsForbidden()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.OnlineAsync("bob");
        await a.BefriendAsync(b);

        AssertDenied(await a.Bayeux!.SubscribeAsync(b.UserChannel), "403");
        AssertDenied(await a.Bayeux!.SubscribeAsync("/user/*"), "403");
        AssertDenied(await a.Bayeux!.SubscribeAsync("/user/**"), "403");

        var sent = await b.SendToAsync(a, "private");
        await a.WaitForAsync("message", d => d.Str("id") == sent.Str("id"));
        Assert.All(a.Deliveries, d => Assert.NotEqual(b.UserChannel, d.Channel));
    }

    [Fact]
    public async Task SubscribingToAGroupYouAreNotInIsForbidden()
    {
        await using var owner = await App.OnlineAsync("owner");
        await using var outsider = await App.OnlineAsync("outsider");
        var groupId = await owner.CreateGroupAsync("closed");

        AssertDenied(await outsider.Bayeux!.SubscribeAsync("/group/" + groupId), "403");
        AssertDenied(await outsider.Bayeux!.SubscribeAsync("/group/*"), "403");
        AssertDenied(await outsider.Bayeux!.SubscribeAsync("/group/nosuchgroup"), "403");
    }

    [Fact]
    public async Task PublishingToUserOrGroupChannelsDirectlyIsForbidden()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.OnlineAsync("bob");
        await a.BefriendAsync(b);
        var groupId = await a.CreateGroupAsync("mine");
        await a.SubscribeAsync("/group/" + groupId);

        var forged = new JsonObject { ["type"] = "message", ["from"] = b.UserId, ["body"] = "forged" };
        foreach (var channel in new[] { b.UserChannel, a.UserChannel, "/group/" + groupId })
        {
            var response = await a.Bayeux!.PublishAsync(channel, forged.DeepClone());
            AssertDenied(response.Reply, "403");
        }

        await b.BarrierAsync();
        await a.BarrierAsync();
        Assert.Empty(b.Events("message"));
        Assert.Empty(a.Events("message"));
    }

    [Fact]
    public async Task ReadingAConversationYouAreNotInIsNotFound()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.OnlineAsync("bob");
        await using var c = await App.OnlineAsync("carol");
        await a.BefriendAsync(b);
        var conv = (await a.SendToAsync(b, "between us")).Str("conv")!;

        (await c.GetAsync($"/api/conversations/{conv}/messages")).ExpectProblem(HttpStatusCode.NotFound, "conversation_not_found");
        (await c.PostAsync($"/api/conversations/{conv}/read", new JsonObject { ["seq"] = 1 })).ExpectProblem(HttpStatusCode.NotFound);
        (await c.PostAsync($"/api/conversations/{conv}/messages", new JsonObject { ["body"] = "me too" })).ExpectProblem(HttpStatusCode.NotFound);
        (await c.GetAsync("/api/conversations/g-nosuchgroup/messages")).ExpectProblem(HttpStatusCode.NotFound);
        Assert.Null(await c.ConversationAsync(conv));

        var read = await c.CallAsync("read", new JsonObject { ["conv"] = conv, ["seq"] = 1 });
        Assert.Equal(false, read.Bool("ok"));
        Assert.Equal("conversation_not_found", read.Obj("error")?.Str("code"));

        var sync = await c.SyncAllAsync(new Dictionary<string, long> { [conv] = 0 });
        Assert.Empty(sync);

        var history = await b.HistoryAsync(conv);
        Assert.Single(history);
    }

    [Fact]
    public async Task TheSenderIsAlwaysTheSessionsUser()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.OnlineAsync("bob");
        await using var c = await App.OnlineAsync("carol");
        await a.BefriendAsync(b);
        await c.BefriendAsync(b);

        var clientMsgId = ImClient.NewClientMsgId();
        var sent = await a.CallOkAsync("send", new JsonObject
        {
            ["to"] = b.UserId,
            ["from"] = c.UserId,
            ["userId"] = c.UserId,
            ["body"] = "who sent this?",
            ["clientMsgId"] = clientMsgId,
        });
        var received = await b.WaitForMessageAsync(clientMsgId);
        Assert.Equal(a.UserId, received.Str("from"));
        Assert.Equal(sent.Str("conv"), received.Str("conv"));
        Assert.DoesNotContain(c.UserId, sent.Str("conv"));

        var overRest = await a.PostAsync($"/api/conversations/{sent.Str("conv")}/messages", new JsonObject { ["body"] = "rest", ["from"] = c.UserId });
        overRest.Expect(HttpStatusCode.Created);
        Assert.Equal(a.UserId, overRest.Str("from"));
        var restDelivery = await b.WaitForAsync("message", d => d.Str("id") == overRest.Str("id"));
        Assert.Equal(a.UserId, restDelivery.Str("from"));

        // carol's own conversation with bob stays empty.
        var carolConv = string.CompareOrdinal(c.UserId, b.UserId) <= 0 ? $"d-{c.UserId}-{b.UserId}" : $"d-{b.UserId}-{c.UserId}";
        Assert.Empty(await b.HistoryAsync(carolConv));
    }
}
