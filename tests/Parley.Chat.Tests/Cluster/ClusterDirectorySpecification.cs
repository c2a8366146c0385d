using System.Collections.Concurrent;
using System.Diagnostics;
using Parley.Chat.Cluster;
using Parley.Chat.Presence;

namespace Parley.Chat.Tests.Cluster;

/// <summary>
/// What every <see cref="IClusterDirectory"/> of a cluster must do. An implementation derives from
/// this class and supplies nodes sharing one medium; xunit creates a fresh instance (so a fresh
/// medium) for every test.
/// </summary>
public abstract class ClusterDirectorySpecification : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly List<IClusterDirectory> _nodes = [];

    /// <summary>Creates a node (not started) attached to the medium shared by this test's nodes.</summary>
    protected abstract IClusterDirectory CreateNode(string nodeId);

    /// <summary>Makes a node die as a crashed process would: no clean-up, no more refreshes.</summary>
    protected abstract Task KillAsync(IClusterDirectory node);

    /// <summary>Lets every survivor run its periodic work at least once more (nothing to wait for in memory).</summary>
    protected virtual Task SettleAsync(IReadOnlyList<IClusterDirectory> survivors) => Task.CompletedTask;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
    }

    protected async Task<IClusterDirectory> StartNodeAsync(string nodeId)
    {
        var node = CreateNode(nodeId);
        _nodes.Add(node);
        await node.StartAsync();
        return node;
    }

    protected static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Deadline)
                Assert.Fail("Timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    protected static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    protected static Task WaitForPresenceAsync(IClusterDirectory node, string userId, PresenceStatus expected) =>
        WaitUntilAsync(async () => await node.GetPresenceAsync(userId) == expected, $"{node.NodeId} sees {userId} as {expected}");

    private static ConcurrentQueue<ClusterSignal> Record(IClusterDirectory node)
    {
        var received = new ConcurrentQueue<ClusterSignal>();
        node.SignalReceived += received.Enqueue;
        return received;
    }

    [Fact]
    public async Task PresenceSetOnOneNodeIsVisibleFromAnother()
    {
        var a = await StartNodeAsync("A");
        var b = await StartNodeAsync("B");

        await a.SetPresenceAsync("alice", PresenceStatus.Away);

        await WaitForPresenceAsync(b, "alice", PresenceStatus.Away);
        Assert.Equal(PresenceStatus.Away, await a.GetPresenceAsync("alice"));
        Assert.Equal(PresenceStatus.Offline, await b.GetPresenceAsync("nobody"));
    }

    [Fact]
    public async Task PresenceIsTheMostAvailableStatusOverEveryNode()
    {
        var a = await StartNodeAsync("A");
        var b = await StartNodeAsync("B");

        await a.SetPresenceAsync("alice", PresenceStatus.Away);
        await b.SetPresenceAsync("alice", PresenceStatus.Online);
        await WaitForPresenceAsync(a, "alice", PresenceStatus.Online);

        await b.SetPresenceAsync("alice", PresenceStatus.Busy);
        await WaitForPresenceAsync(a, "alice", PresenceStatus.Away);

        await a.SetPresenceAsync("alice", PresenceStatus.Invisible);
        await WaitForPresenceAsync(b, "alice", PresenceStatus.Busy);
    }

    [Fact]
    public async Task OfflineRemovesOnlyThisNodesEntry()
    {
        var a = await StartNodeAsync("A");
        var b = await StartNodeAsync("B");
        await a.SetPresenceAsync("alice", PresenceStatus.Online);
        await b.SetPresenceAsync("alice", PresenceStatus.Away);
        await WaitForPresenceAsync(b, "alice", PresenceStatus.Online);

        await a.SetPresenceAsync("alice", PresenceStatus.Offline);
        await WaitForPresenceAsync(b, "alice", PresenceStatus.Away);

        await b.SetPresenceAsync("alice", PresenceStatus.Offline);
        await WaitForPresenceAsync(a, "alice", PresenceStatus.Offline);
    }

    [Fact]
    public async Task ABatchGetAnswersEveryUserInTheOrderGiven()
    {
        var a = await StartNodeAsync("A");
        var b = await StartNodeAsync("B");
        await a.SetPresenceAsync("u1", PresenceStatus.Online);
        await b.SetPresenceAsync("u3", PresenceStatus.Busy);
        await b.SetPresenceAsync("u4", PresenceStatus.Invisible);

        PresenceStatus[] statuses = [];
        await WaitUntilAsync(
            async () => (statuses = await a.GetPresenceAsync(["u4", "u3", "u2", "u1", "u3"])).SequenceEqual(
                [PresenceStatus.Invisible, PresenceStatus.Busy, PresenceStatus.Offline, PresenceStatus.Online, PresenceStatus.Busy]),
            "A reads all five");
        Assert.Empty(await a.GetPresenceAsync([]));
    }

    [Fact]
    public async Task ASignalForAUserReachesTheNodeHoldingThemAndNotTheSender()
    {
        var a = await StartNodeAsync("A");
        var b = await StartNodeAsync("B");
        var c = await StartNodeAsync("C");
        var onA = Record(a);
        var onB = Record(b);
        var onC = Record(c);
        await a.SetPresenceAsync("alice", PresenceStatus.Online);
        await b.SetPresenceAsync("alice", PresenceStatus.Away);
        await c.SetPresenceAsync("carol", PresenceStatus.Online);
        await WaitForPresenceAsync(a, "carol", PresenceStatus.Online);
        await WaitForPresenceAsync(a, "alice", PresenceStatus.Online);

        await a.SendAsync(new ClusterSignal(ClusterSignal.SignedIn, "alice", "s1", "browser-1"));
        // A marker for carol, sent after: once C has it, C has seen whatever A sent it before.
        await a.SendAsync(new ClusterSignal(ClusterSignal.KickAll, "carol", Data: "marker"));

        await WaitUntilAsync(() => onB.Count == 1 && onC.Count == 1, "B has the sign-in and C the marker");
        var signal = Assert.Single(onB);
        Assert.Equal(new ClusterSignal(ClusterSignal.SignedIn, "alice", "s1", "browser-1"), signal);
        Assert.Equal("marker", Assert.Single(onC).Data);
        Assert.Empty(onA);
    }

    [Fact]
    public async Task ANoticeReachesEveryOtherNode()
    {
        var a = await StartNodeAsync("A");
        var b = await StartNodeAsync("B");
        var c = await StartNodeAsync("C");
        var onA = Record(a);
        var onB = Record(b);
        var onC = Record(c);

        await a.SendAsync(new ClusterSignal(ClusterSignal.Notice, "admin", Data: "{\"text\":\"maintenance\"}"));
        await WaitUntilAsync(() => onB.Count == 1 && onC.Count == 1, "B and C have the notice");
        // B's own notice follows A's on the shared channel: once A has B's, it would have had its own.
        await b.SendAsync(new ClusterSignal(ClusterSignal.Notice, "admin", Data: "from B"));
        await WaitUntilAsync(() => onA.Count == 1, "A has B's notice");

        Assert.Equal("{\"text\":\"maintenance\"}", Assert.Single(onB).Data);
        Assert.Equal("from B", Assert.Single(onA).Data);
        Assert.Equal(2, onC.Count);
    }

    [Fact]
    public async Task ADeadNodesUsersStopCountingAndExactlyOneSurvivorIsTold()
    {
        var a = await StartNodeAsync("A");
        var b = await StartNodeAsync("B");
        var c = await StartNodeAsync("C");
        var lost = new ConcurrentQueue<(string Node, IReadOnlyList<string> Users)>();
        foreach (var node in new[] { a, b })
        {
            node.UsersLost += users =>
            {
                lost.Enqueue((node.NodeId, users));
                return Task.CompletedTask;
            };
        }
        await c.SetPresenceAsync("u1", PresenceStatus.Online);
        await c.SetPresenceAsync("u2", PresenceStatus.Online);
        await b.SetPresenceAsync("u2", PresenceStatus.Away);
        await c.SetPresenceAsync("gone", PresenceStatus.Online);
        await c.SetPresenceAsync("gone", PresenceStatus.Offline);
        await WaitForPresenceAsync(a, "u1", PresenceStatus.Online);
        await WaitForPresenceAsync(a, "u2", PresenceStatus.Online);

        await KillAsync(c);

        await WaitUntilAsync(() => !lost.IsEmpty, "a survivor is told");
        await WaitForPresenceAsync(a, "u1", PresenceStatus.Offline);
        await WaitForPresenceAsync(b, "u2", PresenceStatus.Away);
        await SettleAsync([a, b]);
        var (_, users) = Assert.Single(lost);
        Assert.Equal(["u1", "u2"], users.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ANodeThatLeavesHasItsUsersReportedLostBySurvivors()
    {
        var a = await StartNodeAsync("A");
        var b = await StartNodeAsync("B");
        var lost = new ConcurrentQueue<IReadOnlyList<string>>();
        a.UsersLost += users =>
        {
            lost.Enqueue(users);
            return Task.CompletedTask;
        };
        await b.SetPresenceAsync("bob", PresenceStatus.Online);
        await WaitForPresenceAsync(a, "bob", PresenceStatus.Online);

        await b.DisposeAsync();

        await WaitUntilAsync(() => !lost.IsEmpty, "A is told");
        Assert.Equal(["bob"], Assert.Single(lost));
        Assert.Equal(PresenceStatus.Offline, await a.GetPresenceAsync("bob"));
    }

    [Fact]
    public async Task ChineseAndEmojiUserIdsAndDataSurvive()
    {
        var a = await StartNodeAsync("A");
        var b = await StartNodeAsync("B");
        var onB = Record(b);
        const string user = "用户-小明-😀";
        await b.SetPresenceAsync(user, PresenceStatus.Busy);
        await WaitForPresenceAsync(a, user, PresenceStatus.Busy);

        await a.SendAsync(new ClusterSignal(ClusterSignal.KickAll, user, Data: "密码已更改 🔑"));

        await WaitUntilAsync(() => onB.Count == 1, "B has the signal");
        var signal = Assert.Single(onB);
        Assert.Equal(user, signal.UserId);
        Assert.Equal("密码已更改 🔑", signal.Data);
        Assert.Equal([PresenceStatus.Busy, PresenceStatus.Offline], await a.GetPresenceAsync([user, "用户-其他"]));
    }
}
