using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>Bad input is refused politely: REST answers 400 ProblemDetails, IM services answer <c>{ok:false,error}</c>, and the session keeps working.</summary>
public sealed class MalformedInputTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private ParleyApp App => fixture.App;

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "/api/auth/register", "{not json", "application/json" },
        { "/api/auth/register", "{\"username\":5,\"password\":[1]}", "application/json" },
        { "/api/auth/register", "[]", "application/json" },
        { "/api/auth/register", "", "application/json" },
        { "/api/auth/login", "\"just a string\"", "application/json" },
        { "/api/auth/login", "{\"username\":\"x\",", "application/json" },
        { "/api/groups", "{\"name\":{\"nested\":true}}", "application/json" },
        { "/api/friends/requests", "{\"to\":", "application/json" },
        { "/api/admin/notices", "nul", "application/json" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task MalformedRestBodiesAreRefusedWith400ProblemDetails(string path, string body, string contentType)
    {
        await using var user = await App.RegisterAsync("user");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };

        var result = await user.SendAsync(request);

        result.ExpectProblem(HttpStatusCode.BadRequest);
        (await user.GetAsync("/api/me")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task InvalidRegistrationsAreRefusedWithTheirCodes()
    {
        await using var user = await App.RegisterAsync("user");
        (await user.PostAsync("/api/auth/register", new JsonObject { ["username"] = "x", ["password"] = "long enough 1" }))
            .ExpectProblem(HttpStatusCode.BadRequest, "username_invalid");
        (await user.PostAsync("/api/auth/register", new JsonObject { ["username"] = ParleyApp.UniqueName("short"), ["password"] = "short" }))
            .ExpectProblem(HttpStatusCode.BadRequest, "password_invalid");
        (await user.PostAsync("/api/auth/register", new JsonObject { ["username"] = user.Username, ["password"] = "long enough 1" }))
            .ExpectProblem(HttpStatusCode.Conflict, "username_taken");
    }

    public static TheoryData<string> BadSendData => new()
    {
        "\"a string\"",
        "42",
        "[1,2]",
        "{\"to\":12345,\"body\":\"hi\"}",
        "{\"to\":\"TOUSER\",\"body\":{\"text\":\"hi\"}}",
        "{\"to\":\"TOUSER\",\"body\":\"hi\",\"clientMsgId\":7}",
        "{\"to\":\"TOUSER\",\"group\":\"nosuchgroup\",\"body\":\"hi\"}",
        "{\"body\":\"no target\"}",
        "{\"to\":\"TOUSER\",\"body\":\"   \"}",
        "{\"to\":\"TOUSER\",\"body\":\"hi\",\"kind\":\"telepathy\"}",
        "{\"to\":\"no-such-user\",\"body\":\"hi\"}",
        "{\"to\":\"SELF\",\"body\":\"hi\"}",
    };

    [Theory]
    [MemberData(nameof(BadSendData))]
    public async Task MalformedSendDataIsAnsweredWithAnError(string data)
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.OnlineAsync("bob");
        await a.BefriendAsync(b);
        var json = JsonNode.Parse(data.Replace("TOUSER", b.UserId, StringComparison.Ordinal).Replace("SELF", a.UserId, StringComparison.Ordinal));

        var result = await a.CallAsync("send", json);

        Assert.Equal(false, result.Bool("ok"));
        var error = result.Obj("error");
        Assert.NotNull(error);
        Assert.False(string.IsNullOrEmpty(error.Str("code")), result.ToJsonString());
        Assert.False(string.IsNullOrEmpty(error.Str("message")), result.ToJsonString());
        Assert.False(result.ContainsKey("seq"));

        // The session is still good and nothing was delivered.
        var sent = await a.SendToAsync(b, "still fine");
        Assert.Equal(1, sent.Long("seq"));
        await b.WaitForAsync("message", d => d.Str("id") == sent.Str("id"));
        Assert.Single(b.Events("message"));
    }

    [Fact]
    public async Task APublishWithoutDataIsRefusedByBayeuxAndTheSessionGoesOn()
    {
        await using var a = await App.OnlineAsync("alice");
        var response = await a.Bayeux!.PublishAsync("/service/im/send", null);
        Assert.Equal(false, response.Reply.Bool("successful"));
        Assert.StartsWith("400", response.Reply.Str("error"));
        await a.CallOkAsync("sync", new JsonObject());
    }

    [Theory]
    [InlineData("sync", "{\"cursors\":[1,2]}")]
    [InlineData("sync", "{\"cursors\":{\"d-a-b\":\"x\"}}")]
    [InlineData("read", "{\"conv\":\"d-a-b\"}")]
    [InlineData("read", "\"text\"")]
    [InlineData("presence", "{\"status\":\"sleeping\"}")]
    [InlineData("presence", "{\"status\":\"1\"}")]
    [InlineData("typing", "{}")]
    [InlineData("recall", "{}")]
    [InlineData("recall", "{\"id\":\"0123456789abcdef\"}")]
    public async Task MalformedDataForOtherServicesIsAnsweredWithAnError(string service, string data)
    {
        await using var a = await App.OnlineAsync("alice");

        var result = await a.CallAsync(service, JsonNode.Parse(data));

        Assert.Equal(false, result.Bool("ok"));
        Assert.False(string.IsNullOrEmpty(result.Obj("error")?.Str("code")), result.ToJsonString());
        await a.CallOkAsync("sync", new JsonObject());
    }

    [Fact]
    public async Task AnUnknownServiceChannelIsNotAnsweredAsSuccess()
    {
        await using var a = await App.OnlineAsync("alice");
        var response = await a.Bayeux!.PublishAsync("/service/im/nonsense", new JsonObject());
        var results = response.ResultsOf(response.RequestIds[0]);
        Assert.DoesNotContain(results, r => r.Obj("data")?.Bool("ok") == true);
    }
}
