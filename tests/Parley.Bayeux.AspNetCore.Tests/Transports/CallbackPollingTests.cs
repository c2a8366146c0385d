using System.Net;
using Parley.Bayeux.AspNetCore.Tests.Support;
using Parley.Testing;

namespace Parley.Bayeux.AspNetCore.Tests.Transports;

public sealed class CallbackPollingTests : HeldConnectSpecification
{
    private protected override BayeuxClient CreateClient(TestHost host) => new CallbackPollingClient(host.Endpoint);

    private const string Handshake = "[{\"channel\":\"/meta/handshake\",\"id\":\"1\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"callback-polling\"]}]";

    [Theory]
    [InlineData("alert(1)")]
    [InlineData("<script>")]
    [InlineData("a;b")]
    [InlineData("cb\"")]
    [InlineData("x/**/")]
    public async Task InvalidCallbackNameIsRefused(string callback)
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri($"{host.Endpoint}?jsonp={Uri.EscapeDataString(callback)}&message={Uri.EscapeDataString(Handshake)}"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(callback + "(", body, StringComparison.Ordinal);
        Assert.Equal(0, host.Server.SessionCount);
    }

    [Fact]
    public async Task OverlongCallbackNameIsRefused()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri($"{host.Endpoint}?jsonp={new string('a', 65)}&message={Uri.EscapeDataString(Handshake)}"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ReplyIsAScriptThatCallsTheCallback()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri($"{host.Endpoint}?jsonp=__jsonp1__&message={Uri.EscapeDataString(Handshake)}"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet?.ToLowerInvariant());
        Assert.Contains("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")), StringComparison.Ordinal);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.StartsWith("/**/__jsonp1__(", body, StringComparison.Ordinal);
        Assert.EndsWith(");", body.TrimEnd(), StringComparison.Ordinal);
        var reply = Assert.Single(Json.ParseMessages(HttpBayeuxClient.Unwrap(body, "__jsonp1__")));
        Assert.True(reply.Bool("successful") == true, body);
    }

    [Fact]
    public async Task MissingCallbackNameUsesJsonpcallback()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri($"{host.Endpoint}?message={Uri.EscapeDataString(Handshake)}"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("/**/jsonpcallback(", body, StringComparison.Ordinal);
    }
}
