using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>Groups of up to three (<c>Im:GroupMemberCap=3</c>): joining, messages over <c>/group/{id}</c>, kicks, leaving, roles.</summary>
public sealed class GroupTests(GroupTests.Fixture fixture) : IClassFixture<GroupTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Im:GroupMemberCap"] = "3" };
    }

    private ParleyApp App => fixture.App;

    private static string GroupChannel(string groupId) => "/group/" + groupId;

    /// <summary>An owner and two members (one added, one invited and accepted), each subscribed to the group's channel.</summary>
    private async Task<(ImClient Owner, ImClient Added, ImClient Invited, string GroupId)> GroupOfThreeAsync()
    {
        var owner = await App.OnlineAsync("owner");
        var added = await App.OnlineAsync("added", ImTransport.LongPolling);
        var invited = await App.OnlineAsync("invited");
        var groupId = await owner.CreateGroupAsync("三人行 🎉");
        var created = await owner.WaitForAsync("group-added", d => d.Str("group") == groupId);
        Assert.Equal("三人行 🎉", created.Str("name"));
        await owner.SubscribeAsync(GroupChannel(groupId));

        (await owner.PostAsync($"/api/groups/{groupId}/members", new JsonObject { ["userId"] = added.UserId })).Expect(HttpStatusCode.NoContent);
        await added.WaitForAsync("group-added", d => d.Str("group") == groupId);
        await added.SubscribeAsync(GroupChannel(groupId));

        (await owner.PostAsync($"/api/groups/{groupId}/invitations", new JsonObject { ["userId"] = invited.UserId })).Expect(HttpStatusCode.NoContent);
        await invited.WaitForAsync("group-invited", d => d.Str("group") == groupId);
        var invitations = (await invited.GetAsync("/api/groups/invitations")).Expect(HttpStatusCode.OK).Obj["invitations"]!.AsArray();
        Assert.Contains(invitations.OfType<JsonObject>(), i => i.Str("group") == groupId);
        (await invited.PostAsync($"/api/groups/{groupId}/invitations/accept")).Expect(HttpStatusCode.NoContent);
        await invited.WaitForAsync("group-added", d => d.Str("group") == groupId);
        await invited.SubscribeAsync(GroupChannel(groupId));

        var detail = (await owner.GetAsync($"/api/groups/{groupId}")).Expect(HttpStatusCode.OK).Obj;
        Assert.Equal(3, detail["members"]!.AsArray().Count);
        return (owner, added, invited, groupId);
    }

    private static async Task AssertReceivedOnceAsync(ImClient member, string groupId, string messageId)
    {
        var message = await member.WaitForAsync("message", d => d.Str("id") == messageId);
        Assert.Equal(GroupChannel(groupId), message.Channel);
        await member.BarrierAsync();
        Assert.Single(member.Events("message", d => d.Str("id") == messageId));
    }

    private static async Task AssertNotReceivedAsync(ImClient member, string messageId)
    {
        await member.BarrierAsync();
        Assert.Empty(member.Events("message", d => d.Str("id") == messageId));
    }

    [Fact]
    public async Task AMessageReachesAllThreeMembersOnce()
    {
        var (owner, added, invited, groupId) = await GroupOfThreeAsync();
        await using (owner)
        await using (added)
        await using (invited)
        {
            var sent = await added.SendToGroupAsync(groupId, "大家好 👋");
            Assert.Equal($"g-{groupId}", sent.Str("conv"));

            foreach (var member in new[] { owner, added, invited })
                await AssertReceivedOnceAsync(member, groupId, sent.Str("id")!);
            var received = invited.Events("message", d => d.Str("id") == sent.Str("id")).Single();
            Assert.Equal(added.UserId, received.Str("from"));
            Assert.Equal("大家好 👋", received.Str("body"));
        }
    }

    [Fact]
    public async Task AKickedMemberIsToldAndNoLongerReceivesGroupMessages()
    {
        var (owner, added, invited, groupId) = await GroupOfThreeAsync();
        await using (owner)
        await using (added)
        await using (invited)
        {
            (await owner.DeleteAsync($"/api/groups/{groupId}/members/{invited.UserId}")).Expect(HttpStatusCode.NoContent);
            var removed = await invited.WaitForAsync("group-removed", d => d.Str("group") == groupId);
            Assert.Equal(owner.UserId, removed.Str("by"));
            await added.WaitForAsync("group-member-removed", d => d.Str("user") == invited.UserId);

            var sent = await owner.SendToGroupAsync(groupId, "after the kick");
            await AssertReceivedOnceAsync(added, groupId, sent.Str("id")!);
            await AssertNotReceivedAsync(invited, sent.Str("id")!);

            var resubscribe = await invited.Bayeux!.SubscribeAsync(GroupChannel(groupId));
            Assert.Equal(false, resubscribe.Bool("successful"));
            Assert.StartsWith("403", resubscribe.Str("error"));
            var send = await invited.CallAsync("send", new JsonObject { ["group"] = groupId, ["body"] = "let me in", ["clientMsgId"] = ImClient.NewClientMsgId() });
            Assert.Equal(false, send.Bool("ok"));
            Assert.Equal("not_member", send.Obj("error")?.Str("code"));
            (await invited.GetAsync($"/api/conversations/g-{groupId}/messages")).ExpectProblem(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task AMemberWhoLeavesNoLongerReceivesGroupMessages()
    {
        var (owner, added, invited, groupId) = await GroupOfThreeAsync();
        await using (owner)
        await using (added)
        await using (invited)
        {
            (await added.PostAsync($"/api/groups/{groupId}/leave")).Expect(HttpStatusCode.NoContent);
            await owner.WaitForAsync("group-member-removed", d => d.Str("user") == added.UserId);
            var mine = (await added.GetAsync("/api/groups")).Expect(HttpStatusCode.OK).Obj["groups"]!.AsArray();
            Assert.DoesNotContain(mine.OfType<JsonObject>(), g => g.Str("id") == groupId);

            var sent = await invited.SendToGroupAsync(groupId, "after leaving");
            await AssertReceivedOnceAsync(owner, groupId, sent.Str("id")!);
            await AssertNotReceivedAsync(added, sent.Str("id")!);

            // The owner must hand over ownership before leaving a group with others in it.
            (await owner.PostAsync($"/api/groups/{groupId}/leave")).ExpectProblem(HttpStatusCode.Conflict, "owner_must_transfer");
        }
    }

    [Fact]
    public async Task AdminActionsByAPlainMemberAreRefusedWithProblemDetails()
    {
        var (owner, added, invited, groupId) = await GroupOfThreeAsync();
        await using (owner)
        await using (added)
        await using (invited)
        {
            await using var outsider = await App.RegisterAsync("outsider");
            (await added.PostAsync($"/api/groups/{groupId}/members", new JsonObject { ["userId"] = outsider.UserId }))
                .ExpectProblem(HttpStatusCode.Forbidden, "role_too_low");
            (await added.DeleteAsync($"/api/groups/{groupId}/members/{invited.UserId}"))
                .ExpectProblem(HttpStatusCode.Forbidden, "role_too_low");
            (await added.PatchAsync($"/api/groups/{groupId}", new JsonObject { ["name"] = "mine now" }))
                .ExpectProblem(HttpStatusCode.Forbidden, "role_too_low");
            (await added.PutAsync($"/api/groups/{groupId}/members/{invited.UserId}/role", new JsonObject { ["role"] = "admin" }))
                .ExpectProblem(HttpStatusCode.Forbidden, "role_too_low");
            (await outsider.GetAsync($"/api/groups/{groupId}")).ExpectProblem(HttpStatusCode.NotFound, "group_not_found");

            var detail = (await owner.GetAsync($"/api/groups/{groupId}")).Expect(HttpStatusCode.OK).Obj;
            Assert.Equal(3, detail["members"]!.AsArray().Count);
        }
    }

    [Fact]
    public async Task TheMemberCapIsEnforced()
    {
        var (owner, added, invited, groupId) = await GroupOfThreeAsync();
        await using (owner)
        await using (added)
        await using (invited)
        {
            await using var fourth = await App.RegisterAsync("fourth");
            (await owner.PostAsync($"/api/groups/{groupId}/members", new JsonObject { ["userId"] = fourth.UserId }))
                .ExpectProblem(HttpStatusCode.Conflict, "group_full");
        }
    }

    [Fact]
    public async Task TypingInAGroupReachesTheOtherMembers()
    {
        var (owner, added, invited, groupId) = await GroupOfThreeAsync();
        await using (owner)
        await using (added)
        await using (invited)
        {
            await invited.CallOkAsync("typing", new JsonObject { ["group"] = groupId });
            var typing = await owner.WaitForAsync("typing", d => d.Str("user") == invited.UserId);
            Assert.Equal($"g-{groupId}", typing.Str("conv"));
            Assert.Equal(GroupChannel(groupId), typing.Channel);
        }
    }
}
