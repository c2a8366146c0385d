using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Support;

namespace Parley.Server.Tests;

/// <summary>System notices (<c>Im:Admins:0=root</c>): an administrator's notice reaches every online user; nobody else may send one.</summary>
public sealed class AdminNoticeTests(AdminNoticeTests.Fixture fixture) : IClassFixture<AdminNoticeTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Im:Admins:0"] = "root" };
    }

    [Fact]
    public async Task AnAdminNoticeReachesEveryOnlineUserAndOnlyAdminsMaySendOne()
    {
        var app = fixture.App;
        await using var root = await app.RegisterAsync("root", username: "root");
        Assert.Equal(true, (await root.GetAsync("/api/me")).Expect(HttpStatusCode.OK).Obj["isAdmin"]?.GetValue<bool>());
        await using var web = await app.OnlineAsync("web");
        await using var poller = await app.OnlineAsync("poller", ImTransport.LongPolling);
        await using var stranger = await app.OnlineAsync("stranger");

        (await stranger.PostAsync("/api/admin/notices", new JsonObject { ["text"] = "I am not root" }))
            .ExpectProblem(HttpStatusCode.Forbidden, "not_admin");

        const string text = "今晚 22:00 维护 🛠️ maintenance tonight";
        (await root.PostAsync("/api/admin/notices", new JsonObject { ["text"] = text })).Expect(HttpStatusCode.Accepted);

        foreach (var user in new[] { web, poller, stranger })
        {
            var notice = await user.WaitForAsync("notice", d => d.Str("text") == text);
            Assert.Equal(root.UserId, notice.Str("from"));
            Assert.Equal(user.UserChannel, notice.Channel);
        }
        foreach (var user in new[] { web, poller, stranger })
        {
            await user.BarrierAsync();
            Assert.Single(user.Events("notice"));
        }

        (await root.PostAsync("/api/admin/notices", new JsonObject { ["text"] = "   " }))
            .ExpectProblem(HttpStatusCode.BadRequest, "notice_invalid");
    }
}
