using System.Net;
using System.Text.Json.Nodes;
using Parley.Cluster.Tests.Support;
using Parley.Testing;

namespace Parley.Cluster.Tests;

/// <summary>People on different nodes use Parley as if it were one server.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CrossNodeTests(ClusterFixture cluster)
{
    [Fact]
    public async Task PeopleOnDifferentNodesChatBothWays()
    {
        await using var alice = await People.OnlineAsync(cluster.Node(1), "alice");
        await using var bob = await People.OnlineAsync(cluster.Node(2), "bob", ImTransport.LongPolling);
        await alice.BefriendAsync(bob);

        var sent = await alice.SendToAsync(bob, "你好，来自节点一 👋");
        var heard = await bob.WaitForAsync("message", d => d.Str("id") == sent.Str("id"));
        var reply = await bob.SendToAsync(alice, "收到，节点二 ✅");
        var answered = await alice.WaitForAsync("message", d => d.Str("id") == reply.Str("id"));

        Assert.Equal("你好，来自节点一 👋", heard.Str("body"));
        Assert.Equal("收到，节点二 ✅", answered.Str("body"));
        Assert.Equal(sent.Long("seq") + 1, reply.Long("seq"));
    }

    [Fact]
    public async Task AGroupSpreadOverThreeNodesHearsEveryMessageOnce()
    {
        await using var owner = await People.OnlineAsync(cluster.Node(1), "owner");
        await using var second = await People.OnlineAsync(cluster.Node(2), "second");
        await using var third = await People.OnlineAsync(cluster.Node(3), "third", ImTransport.LongPolling);
        var groupId = await owner.CreateGroupAsync("三个节点 🌐");
        foreach (var member in new[] { second, third })
        {
            (await owner.PostAsync($"/api/groups/{groupId}/members", new JsonObject { ["userId"] = member.UserId })).Expect(HttpStatusCode.NoContent);
            await member.WaitForAsync("group-added", d => d.Str("group") == groupId);
        }
        foreach (var member in new[] { owner, second, third })
            await member.SubscribeAsync("/group/" + groupId);

        var ids = new List<string>();
        foreach (var (sender, body) in new[] { (owner, "一"), (second, "二"), (third, "三") })
            ids.Add((await sender.SendToGroupAsync(groupId, body)).Str("id")!);

        foreach (var member in new[] { owner, second, third })
        {
            foreach (var id in ids)
                await member.WaitForAsync("message", d => d.Str("id") == id);
            await member.BarrierAsync();
            // Exactly once each. Pushes from different nodes may cross on the way; the seq orders them.
            var messages = member.Events("message", d => d.Channel == "/group/" + groupId);
            Assert.Equal(ids, messages.OrderBy(m => m.Long("seq")).Select(m => m.Str("id")));
        }
    }

    [Fact]
    public async Task FriendsOnOtherNodesSeePresenceComeAndGo()
    {
        await using var watcher = await People.OnlineAsync(cluster.Node(1), "watcher");
        var friend = await People.RegisterAsync(cluster.Node(2), "friend");
        await using (friend)
        {
            await watcher.BefriendAsync(friend);

            await friend.ConnectAsync();
            await watcher.WaitForAsync("presence", d => d.Str("user") == friend.UserId && d.Str("status") == "online");
            var seen = (await watcher.GetAsync($"/api/users/{friend.UserId}")).Expect(HttpStatusCode.OK);
            Assert.Equal("online", seen.Str("status"));

            await friend.DisconnectAsync();
            await watcher.WaitForAsync("presence", d => d.Str("user") == friend.UserId && d.Str("status") == "offline");
        }
    }

    [Fact]
    public async Task SigningInOnAnotherNodeKicksTheFirstSession()
    {
        await using var first = await People.OnlineAsync(cluster.Node(1), "twice");
        await using var second = await People.SignInAgainAsync(cluster.Node(3), first);

        await second.ConnectAsync();

        var kicked = await first.WaitForAsync("kicked");
        Assert.Equal("signed_in_elsewhere", kicked.Str("reason"));
        await first.ConnectLoop.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("none", first.ConnectReplies[^1].Advice()?.Str("reconnect"));
        // The new session keeps working.
        await using var friend = await People.OnlineAsync(cluster.Node(2), "friend");
        await friend.BefriendAsync(second);
        var sent = await friend.SendToAsync(second, "still here");
        await second.WaitForAsync("message", d => d.Str("id") == sent.Str("id"));
    }
}
