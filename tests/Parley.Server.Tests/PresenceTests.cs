using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>Presence: friends see it, invisible hides it, strangers and blocked users see nothing; the public badge is opt-in.</summary>
public sealed class PresenceTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private ParleyApp App => fixture.App;

    private static string? LastStatusOf(ImClient watcher, ImClient user) =>
        watcher.Events("presence", d => d.Str("user") == user.UserId).LastOrDefault()?.Str("status");

    private static async Task<string?> FriendListStatusAsync(ImClient viewer, ImClient friend)
    {
        var friends = (await viewer.GetAsync("/api/friends")).Expect(HttpStatusCode.OK).Obj["friends"]!.AsArray();
        return friends.OfType<JsonObject>().Single(f => f.Str("userId") == friend.UserId).Str("status");
    }

    [Fact]
    public async Task AFriendSeesOnlineThenOfflineAfterDisconnect()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.RegisterAsync("bob");
        await a.BefriendAsync(b);

        await b.ConnectAsync(ImTransport.LongPolling);
        await a.WaitForAsync("presence", d => d.Str("user") == b.UserId && d.Str("status") == "online");
        Assert.Equal("online", await FriendListStatusAsync(a, b));

        await b.DisconnectAsync();
        await Eventually.HoldsAsync(() => LastStatusOf(a, b) == "offline", "alice sees bob offline");
        Assert.Equal("offline", await FriendListStatusAsync(a, b));
    }

    [Fact]
    public async Task InvisibleLooksOfflineToTheFriend()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.RegisterAsync("bob");
        await a.BefriendAsync(b);

        await b.ConnectAsync();
        var result = await b.CallOkAsync("presence", new JsonObject { ["status"] = "invisible" });
        Assert.Equal("invisible", result.Str("status"));
        await b.WaitForAsync("presence", d => d.Str("user") == b.UserId && d.Str("status") == "invisible");

        await Eventually.HoldsAsync(() => LastStatusOf(a, b) is null or "offline", "alice's last view of bob is offline");
        await a.BarrierAsync();
        Assert.True(LastStatusOf(a, b) is null or "offline", string.Join(" | ", a.Deliveries));
        Assert.Equal("offline", await FriendListStatusAsync(a, b));
        Assert.Equal("offline", (await a.GetAsync($"/api/users/{b.UserId}")).Expect(HttpStatusCode.OK).Str("status"));
        Assert.Equal("invisible", (await b.GetAsync("/api/me")).Expect(HttpStatusCode.OK).Str("status"));
    }

    [Fact]
    public async Task ANonFriendSeesNothing()
    {
        await using var friend = await App.OnlineAsync("friend");
        await using var stranger = await App.OnlineAsync("stranger");
        await using var b = await App.RegisterAsync("bob");
        await friend.BefriendAsync(b);

        await b.ConnectAsync();
        await friend.WaitForAsync("presence", d => d.Str("user") == b.UserId && d.Str("status") == "online");

        await stranger.BarrierAsync();
        Assert.Empty(stranger.Events("presence", d => d.Str("user") == b.UserId));
        Assert.Equal("offline", (await stranger.GetAsync($"/api/users/{b.UserId}")).Expect(HttpStatusCode.OK).Str("status"));
    }

    [Fact]
    public async Task ABlockedUserSeesNothingAndCannotMessage()
    {
        await using var blocked = await App.OnlineAsync("blocked");
        await using var witness = await App.OnlineAsync("witness");
        await using var b = await App.RegisterAsync("bob");
        await blocked.BefriendAsync(b);
        await witness.BefriendAsync(b);
        (await b.PutAsync($"/api/blocks/{blocked.UserId}")).Expect(HttpStatusCode.NoContent);

        await b.ConnectAsync();
        await witness.WaitForAsync("presence", d => d.Str("user") == b.UserId && d.Str("status") == "online");
        await blocked.BarrierAsync();
        Assert.Empty(blocked.Events("presence", d => d.Str("user") == b.UserId && d.Str("status") != "offline"));
        Assert.Equal("offline", (await blocked.GetAsync($"/api/users/{b.UserId}")).Expect(HttpStatusCode.OK).Str("status"));

        var send = await blocked.CallAsync("send", new JsonObject { ["to"] = b.UserId, ["body"] = "hello?", ["clientMsgId"] = ImClient.NewClientMsgId() });
        Assert.Equal(false, send.Bool("ok"));
        Assert.Equal("blocked", send.Obj("error")?.Str("code"));
        Assert.False(string.IsNullOrEmpty(send.Obj("error")?.Str("message")));

        var conv = string.CompareOrdinal(blocked.UserId, b.UserId) <= 0 ? $"d-{blocked.UserId}-{b.UserId}" : $"d-{b.UserId}-{blocked.UserId}";
        (await blocked.PostAsync($"/api/conversations/{conv}/messages", new JsonObject { ["body"] = "over REST" }))
            .ExpectProblem(HttpStatusCode.Forbidden, "blocked");

        await b.BarrierAsync();
        Assert.Empty(b.Events("message"));
    }

    [Fact]
    public async Task ThePresenceBadgeAndBatchShowOptedInUsersOnly()
    {
        await using var shown = await App.RegisterAsync("shown");
        await using var hidden = await App.OnlineAsync("hidden");
        var me = (await shown.PatchAsync("/api/me", new JsonObject { ["publicPresence"] = true })).Expect(HttpStatusCode.OK);
        Assert.Equal(true, me.Obj.Bool("publicPresence"));
        await shown.ConnectAsync();
        using var anonymous = App.CreateHttpClient();

        using (var badge = await anonymous.GetAsync($"/api/presence/{shown.Username}.svg"))
        {
            Assert.Equal(HttpStatusCode.OK, badge.StatusCode);
            Assert.Equal("image/svg+xml", badge.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", badge.Headers.GetValues("X-Content-Type-Options").Single());
            var svg = await badge.Content.ReadAsStringAsync();
            Assert.StartsWith("<svg", svg);
            Assert.Contains("online", svg);
        }
        using (var badge = await anonymous.GetAsync($"/api/presence/{hidden.Username}.svg"))
        {
            var svg = await badge.Content.ReadAsStringAsync();
            Assert.DoesNotContain("online", svg);
            Assert.Contains("unknown", svg);
        }

        using var batch = await anonymous.GetAsync($"/api/presence?users={shown.Username},{hidden.Username},nobody-here");
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        var statuses = JsonNode.Parse(await batch.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("online", statuses.Str(shown.Username));
        Assert.False(statuses.ContainsKey(hidden.Username));
        Assert.False(statuses.ContainsKey("nobody-here"));
        Assert.Single(statuses);

        await shown.DisconnectAsync();
        await Eventually.HoldsAsync(async () => await BatchStatusAsync(anonymous, shown.Username) == "offline", "the badge turns offline");
    }

    private static async Task<string?> BatchStatusAsync(HttpClient http, string username)
    {
        using var response = await http.GetAsync($"/api/presence?users={username}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject().Str(username);
    }
}
