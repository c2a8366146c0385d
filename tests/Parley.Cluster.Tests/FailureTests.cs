using System.Diagnostics;
using System.Text.Json.Nodes;
using Parley.Cluster.Tests.Support;
using Parley.Testing;

namespace Parley.Cluster.Tests;

/// <summary>Parts of the cluster fail mid-conversation; nothing is lost and nothing arrives twice.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FailureTests(ClusterFixture cluster) : IAsyncLifetime
{
    private const int Messages = 60;

    public Task InitializeAsync() => cluster.HealAsync();

    // Whatever a test broke is whole again for the next one.
    public Task DisposeAsync() => cluster.HealAsync();

    [Fact]
    public async Task KillingTheNodeOfBothPeopleMidStreamLosesAndDuplicatesNothing()
    {
        // Both reach the cluster through nginx from this machine's address: the same node.
        await using var pair = await People.FriendsAsync(cluster.Balancer, "sender", cluster.Balancer, "receiver", ImTransport.LongPolling);
        var (sender, receiver) = pair;
        var doomed = await cluster.NodeBehindBalancerAsync();
        var stream = new MessageStream(sender, receiver, Messages);
        var run = "kill-" + Guid.NewGuid().ToString("N")[..8];

        for (var i = 0; i < Messages; i++)
        {
            if (i == Messages / 3)
                await cluster.KillNodeAsync(doomed);
            await stream.SendAsync(run, i);
        }
        // The receiver's node is gone too: it handshakes again elsewhere and syncs.
        await receiver.ConnectLoop.WaitAsync(TimeSpan.FromSeconds(60));
        await MessageStream.ReconnectAsync(receiver, Stopwatch.GetTimestamp());

        Assert.NotEqual(doomed, await cluster.NodeBehindBalancerAsync());
        Assert.True(stream.Retries > 0, "the stream should have crossed the failure");
        await stream.VerifyAsync(run);
    }

    [Fact]
    public async Task ADeadNodesUsersGoOfflineForTheirFriendsOnOtherNodes()
    {
        await using var pair = await People.FriendsAsync(cluster.Node(1), "watcher", cluster.Node(3), "doomed");
        var (watcher, doomed) = pair;
        await watcher.WaitForAsync("presence", d => d.Str("user") == doomed.UserId && d.Str("status") == "online");

        await cluster.KillNodeAsync(3);

        // Nobody disconnected: the node's directory entries expire and a survivor tells the friends.
        await watcher.WaitForAsync("presence", d => d.Str("user") == doomed.UserId && d.Str("status") == "offline", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task RestartingRedisMidStreamLosesNothingAndTellsClientsToResync()
    {
        await using var pair = await People.FriendsAsync(cluster.Node(1), "sender", cluster.Node(2), "receiver");
        var (sender, receiver) = pair;
        var stream = new MessageStream(sender, receiver, Messages);
        var run = "redis-" + Guid.NewGuid().ToString("N")[..8];

        for (var i = 0; i < Messages; i++)
        {
            if (i == Messages / 3)
                await cluster.StopRedisAsync();
            if (i == 2 * Messages / 3)
                await cluster.StartRedisAsync();
            await stream.SendAsync(run, i);
        }

        // Sends never failed: the store had them. The receiver is told broadcasts were lost…
        Assert.Equal(0, stream.Retries);
        await receiver.WaitForAsync("resync", timeout: TimeSpan.FromSeconds(60));
        // …and what it was pushed plus what it syncs is every message once.
        await stream.VerifyAsync(run);
    }

    [Fact]
    public async Task StoppingPostgresMakesSendsFailCleanlyAndServiceResumesWhenItReturns()
    {
        await using var pair = await People.FriendsAsync(cluster.Node(1), "sender", cluster.Node(2), "receiver");
        var (sender, receiver) = pair;
        var before = await sender.SendToAsync(receiver, "before the outage");

        await cluster.StopPostgresAsync();
        var failed = await sender.CallAsync("send", new JsonObject { ["to"] = receiver.UserId, ["body"] = "during the outage", ["clientMsgId"] = "pg-down" });
        Assert.False(failed.Bool("ok"));
        Assert.Equal("unavailable", failed.Obj("error")?.Str("code"));
        Assert.False(await ClusterFixture.IsReadyAsync(cluster.Node(1)));

        await cluster.StartPostgresAsync();
        var started = Stopwatch.GetTimestamp();
        JsonObject after;
        while (true)
        {
            after = await sender.CallAsync("send", new JsonObject { ["to"] = receiver.UserId, ["body"] = "after the outage", ["clientMsgId"] = "pg-back" });
            if (after.Bool("ok") == true)
                break;
            Assert.True(Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60), "sends did not resume: " + after.ToJsonString());
            await Task.Delay(200);
        }

        await receiver.WaitForAsync("message", d => d.Str("id") == after.Str("id"));
        // The failed send was never saved: the conversation goes straight from "before" to "after".
        var history = await receiver.SyncAllAsync();
        Assert.Equal(["before the outage", "after the outage"], history.Where(m => m.Str("conv") == before.Str("conv")).Select(m => m.Str("body")));
        Assert.Equal(before.Long("seq") + 1, after.Long("seq"));
    }
}
