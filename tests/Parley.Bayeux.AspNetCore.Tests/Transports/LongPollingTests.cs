using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Bayeux.AspNetCore.Tests.Support;
using Parley.Testing;

namespace Parley.Bayeux.AspNetCore.Tests.Transports;

public sealed class LongPollingTests : HeldConnectSpecification
{
    private protected override BayeuxClient CreateClient(TestHost host) => new LongPollingClient(host.Endpoint);

    [Fact]
    public async Task SecondSessionOfTheSameBrowserGetsMultipleClientsAdvice()
    {
        await using var host = await TestHost.StartAsync(o => o.Timeout = 60_000);
        var browser = new CookieContainer();
        browser.Add(host.BaseAddress, new Cookie("BAYEUX_BROWSER", "0123456789abcdef0123456789abcdef"));
        await using var firstTab = new LongPollingClient(host.Endpoint, browser);
        await using var secondTab = new LongPollingClient(host.Endpoint, browser);
        await firstTab.StartSessionAsync();
        await secondTab.StartSessionAsync();
        var held = await HoldConnectAsync(host, firstTab);

        var response = await Eventually.WithinAsync(secondTab.ConnectAsync(), "the second tab's connect to return at once");
        var reply = response.Reply;
        Assert.True(reply.Bool("successful") == true, response.ToString());
        Assert.True(reply.Advice()?.Bool("multiple-clients") == true, $"expected multiple-clients advice: {response}");
        Assert.Equal("retry", reply.Advice()?.Str("reconnect"));
        Assert.True(reply.Advice()?.Long("interval") > 0, response.ToString());
        Assert.False(held.IsCompleted, "the first tab keeps its held connect");

        await firstTab.DisconnectAsync();
        await Eventually.WithinAsync(held, "the first tab's connect after its disconnect");
    }

    [Fact]
    public async Task FirstTabOfANewBrowserCountsTowardsMultipleClients()
    {
        // A browser's first tab handshakes before it has the cookie; its long polls still carry
        // the cookie afterwards and take one of the browser's connections.
        await using var host = await TestHost.StartAsync(o => o.Timeout = 60_000);
        var browser = new CookieContainer();
        await using var firstTab = new LongPollingClient(host.Endpoint, browser);
        await using var secondTab = new LongPollingClient(host.Endpoint, browser);
        await firstTab.StartSessionAsync();
        Assert.NotNull(browser.GetCookies(host.BaseAddress)["BAYEUX_BROWSER"]);
        await secondTab.StartSessionAsync();
        var held = await HoldConnectAsync(host, firstTab);

        // Held connects last 60 s here: an answer within the deadline means it was not held.
        var second = await Eventually.WithinAsync(secondTab.ConnectAsync(), "the second tab's connect to return at once");
        Assert.True(second.Reply.Advice()?.Bool("multiple-clients") == true, second.ToString());
        await firstTab.DisconnectAsync();
        await Eventually.WithinAsync(held, "the first tab's connect after its disconnect");
    }

    [Fact]
    public async Task PreflightFromAnAllowedOriginGetsCorsHeaders()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new LongPollingClient(host.Endpoint);
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(host.Endpoint + "/connect"));
        request.Headers.Add("Origin", TestHost.AllowedOrigin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await client.Http.SendAsync(request);
        var headers = HttpBayeuxClient.Headers(response);
        Assert.True(response.IsSuccessStatusCode, $"preflight got {(int)response.StatusCode}");
        Assert.Equal(TestHost.AllowedOrigin, headers.GetValueOrDefault("Access-Control-Allow-Origin"));
        Assert.Equal("true", headers.GetValueOrDefault("Access-Control-Allow-Credentials"));
        var methods = headers.GetValueOrDefault("Access-Control-Allow-Methods") ?? "";
        Assert.Contains("POST", methods, StringComparison.Ordinal);
        Assert.Contains("GET", methods, StringComparison.Ordinal);
        Assert.Contains("content-type", (headers.GetValueOrDefault("Access-Control-Allow-Headers") ?? "").ToLowerInvariant(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreflightFromADisallowedOriginGetsNoCorsHeaders()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new LongPollingClient(host.Endpoint);
        using var request = new HttpRequestMessage(HttpMethod.Options, host.Endpoint);
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task PostWithoutOriginIsAccepted()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new LongPollingClient(host.Endpoint) { Origin = null };

        var response = await client.HandshakeResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.True(response.Reply.Bool("successful") == true, response.ToString());
        Assert.Null(response.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task PostFromTheSameOriginIsAccepted()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new LongPollingClient(host.Endpoint) { Origin = host.BaseAddress.GetLeftPart(UriPartial.Authority) };

        var response = await client.HandshakeResponseAsync();
        Assert.Equal(200, response.Status);
        Assert.True(response.Reply.Bool("successful") == true, response.ToString());
    }

    [Fact]
    public async Task RepliesAreJsonInUtf8AndNotCached()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new LongPollingClient(host.Endpoint);

        var response = await client.HandshakeResponseAsync();
        var contentType = response.Header("Content-Type") ?? "";
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
        Assert.Contains("utf-8", contentType.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Contains("no-store", response.Header("Cache-Control") ?? "", StringComparison.Ordinal);
        Assert.True(response.Raw.TrimStart().StartsWith('['), response.Raw);
    }

    [Fact]
    public async Task HandshakeSetsAnHttpOnlyBrowserCookie()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new LongPollingClient(host.Endpoint);

        await client.HandshakeAsync();
        var cookie = client.Cookies.GetCookies(host.BaseAddress)["BAYEUX_BROWSER"];
        Assert.NotNull(cookie);
        Assert.True(cookie.HttpOnly);
    }

    [Fact]
    public async Task ASessionHandshakenWithoutACookieGoesOnWhenTheClientEndsUpHoldingAnotherOne()
    {
        // Faye opens its WebSocket while its first handshake is in flight; the upgrade issues a
        // cookie too, and whichever answer comes last is the cookie the client keeps.
        await using var host = await TestHost.StartAsync();
        var browser = new CookieContainer();
        await using var client = new LongPollingClient(host.Endpoint, browser);
        await client.HandshakeAsync();
        var issued = browser.GetCookies(host.BaseAddress)["BAYEUX_BROWSER"]!.Value;
        browser.Add(host.BaseAddress, new Cookie("BAYEUX_BROWSER", "fedcba9876543210fedcba9876543210"));
        Assert.NotEqual(issued, browser.GetCookies(host.BaseAddress)["BAYEUX_BROWSER"]!.Value);

        var connect = await client.ConnectAsync(timeout: 0);
        var subscribe = await client.SubscribeAsync("/pub/cookies");

        Assert.True(connect.Reply.Bool("successful") == true, connect.ToString());
        Assert.True(subscribe.Bool("successful") == true, subscribe.ToJsonString());
    }

    [Fact]
    public async Task AClientIdHandshakenWithACookieIsUnknownUnderAnotherCookie()
    {
        await using var host = await TestHost.StartAsync();
        var owner = new CookieContainer();
        owner.Add(host.BaseAddress, new Cookie("BAYEUX_BROWSER", "0123456789abcdef0123456789abcdef"));
        await using var client = new LongPollingClient(host.Endpoint, owner);
        await client.HandshakeAsync();
        var other = new CookieContainer();
        other.Add(host.BaseAddress, new Cookie("BAYEUX_BROWSER", "fedcba9876543210fedcba9876543210"));
        await using var thief = new LongPollingClient(host.Endpoint, other) { ClientId = client.ClientId };

        var stolen = await thief.ConnectAsync(timeout: 0);
        var own = await client.ConnectAsync(timeout: 0);

        Assert.Equal("402::session_unknown", stolen.Reply.Str("error"));
        Assert.True(own.Reply.Bool("successful") == true, own.ToString());
    }

    [Fact]
    public async Task FormEncodedMessageIsAccepted()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new LongPollingClient(host.Endpoint);
        var handshake = new JsonArray(new JsonObject
        {
            ["channel"] = "/meta/handshake",
            ["id"] = BayeuxClient.NextId(),
            ["version"] = "1.0",
            ["supportedConnectionTypes"] = new JsonArray("long-polling"),
        }).ToJsonString();

        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("message", handshake)]);
        using var response = await client.Http.PostAsync(host.Endpoint, content);
        var reply = Assert.Single(Json.ParseMessages(await response.Content.ReadAsStringAsync()));
        Assert.True(reply.Bool("successful") == true, reply.ToJsonString());
        Assert.NotNull(reply.Str("clientId"));
    }

    [Fact]
    public async Task OversizedChunkedBodyWithoutContentLengthIsRefused()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxMessageSize = 4_096);
        await using var bystander = await SubscribedClientAsync(host, "/pub/alive");
        await using var client = new LongPollingClient(host.Endpoint);
        var body = Encoding.UTF8.GetBytes("[{\"channel\":\"/pub/big\",\"data\":\"" + new string('y', 20_000) + "\"}]");

        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Endpoint) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        await AssertStillServedAsync(bystander, "/pub/alive");
    }

    [Fact]
    public async Task NumericIdIsEchoedAsAString()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new LongPollingClient(host.Endpoint);

        var response = await client.SendRawAsync("[{\"channel\":\"/meta/handshake\",\"id\":42,\"version\":\"1.0\",\"supportedConnectionTypes\":[\"long-polling\"]}]");
        var reply = Assert.Single(response.Messages);
        Assert.Equal("42", reply.Str("id"));
        Assert.True(reply.Bool("successful") == true, response.ToString());
    }
}
