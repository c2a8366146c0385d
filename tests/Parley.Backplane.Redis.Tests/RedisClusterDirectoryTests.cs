using Parley.Backplane.Redis.Tests.Support;
using Parley.Chat.Cluster;
using Parley.Chat.Presence;
using Parley.Chat.Tests.Cluster;

namespace Parley.Backplane.Redis.Tests;

public sealed class RedisClusterDirectoryTests : ClusterDirectorySpecification
{
    private readonly string _prefix = TestRedis.NewPrefix();

    protected override IClusterDirectory CreateNode(string nodeId) => TestRedis.Directory(TestRedis.Options(nodeId, _prefix));

    protected override Task KillAsync(IClusterDirectory node) => ((RedisClusterDirectory)node).CrashAsync();

    protected override async Task SettleAsync(IReadOnlyList<IClusterDirectory> survivors)
    {
        var nodes = survivors.Cast<RedisClusterDirectory>().ToArray();
        var targets = nodes.Select(n => n.HeartbeatsCompleted + 2).ToArray();
        await WaitUntilAsync(() => nodes.Select((n, i) => n.HeartbeatsCompleted >= targets[i]).All(x => x), "every survivor beat twice more");
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await TestRedis.DeletePrefixAsync(_prefix);
    }

    [Fact]
    public async Task ANodeWhoseEntriesVanishedRewritesThem()
    {
        var a = await StartNodeAsync("A");
        var b = await StartNodeAsync("B");
        await a.SetPresenceAsync("alice", PresenceStatus.Online);
        await WaitForPresenceAsync(b, "alice", PresenceStatus.Online);

        // As if Redis restarted empty: every key of this cluster is gone.
        await TestRedis.DeletePrefixAsync(_prefix);
        Assert.Equal(PresenceStatus.Offline, await b.GetPresenceAsync("alice"));

        await WaitForPresenceAsync(b, "alice", PresenceStatus.Online);
    }

    [Fact]
    public async Task ASignalGoesOnlyToLiveNodes()
    {
        var a = await StartNodeAsync("A");
        var b = await StartNodeAsync("B");
        var c = await StartNodeAsync("C");
        await b.SetPresenceAsync("bob", PresenceStatus.Online);
        await c.SetPresenceAsync("bob", PresenceStatus.Online);
        await WaitForPresenceAsync(a, "bob", PresenceStatus.Online);
        var onB = new List<ClusterSignal>();
        b.SignalReceived += s => { lock (onB) onB.Add(s); };

        await KillAsync(c);
        await a.SendAsync(new ClusterSignal(ClusterSignal.KickAll, "bob"));

        await WaitUntilAsync(() => { lock (onB) return onB.Count == 1; }, "B has the kick");
    }
}
