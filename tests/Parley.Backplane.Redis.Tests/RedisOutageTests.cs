using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Parley.Backplane.Redis.Tests.Support;
using Parley.Bayeux.Backplane;
using Parley.Bayeux.Messages;
using Parley.Chat.Cluster;
using Parley.Chat.Presence;

namespace Parley.Backplane.Redis.Tests;

/// <summary>Each test runs its own redis-server, kills it and starts it again on the same port.</summary>
public sealed class RedisOutageTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!await condition())
        {
            if (Stopwatch.GetElapsedTime(started) > Deadline)
                Assert.Fail("Timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition, string what) => WaitUntilAsync(() => Task.FromResult(condition()), what);

    private static EncodedMessage Delivery(string channel, int data) => BayeuxCodec.EncodeDelivery(channel, JsonSerializer.SerializeToElement(data));

    [Fact]
    public async Task BackplaneNodesSurviveARedisRestartAndTellTheirSessionsToResync()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        var prefix = TestRedis.NewPrefix();
        await using var a = TestRedis.Backplane(TestRedis.Options("A", prefix, redis.Configuration));
        await using var b = TestRedis.Backplane(TestRedis.Options("B", prefix, redis.Configuration));
        var onB = new ConcurrentQueue<BackplaneMessage>();
        var onA = new ConcurrentQueue<BackplaneMessage>();
        var restoredA = 0;
        var restoredB = 0;
        a.Restored += () => Interlocked.Increment(ref restoredA);
        b.Restored += () => Interlocked.Increment(ref restoredB);
        await a.StartAsync(m => { onA.Enqueue(m); return ValueTask.CompletedTask; }, CancellationToken.None);
        await b.StartAsync(m => { onB.Enqueue(m); return ValueTask.CompletedTask; }, CancellationToken.None);
        Assert.True(a.IsConnected && b.IsConnected);
        await b.AddInterestAsync("/open/room", CancellationToken.None);
        await a.PublishAsync(Delivery("/open/room", 1), CancellationToken.None);
        await WaitUntilAsync(() => onB.Count == 1, "B has the first message");

        await redis.KillAsync();

        await WaitUntilAsync(() => !a.IsConnected && !b.IsConnected, "both nodes see Redis gone");
        var clock = Stopwatch.StartNew();
        await a.PublishAsync(Delivery("/open/room", 2), CancellationToken.None); // dropped, never thrown
        await b.AddInterestAsync("/open/hall", CancellationToken.None); // answered at once while Redis is down
        await a.AddInterestAsync("/open/back", CancellationToken.None);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"calls took {clock.Elapsed} while Redis was down");
        Assert.Equal(0, restoredA + restoredB);

        await redis.StartAgainAsync();

        await WaitUntilAsync(() => a.IsConnected && b.IsConnected, "both nodes reconnected");
        await WaitUntilAsync(() => Volatile.Read(ref restoredA) >= 1 && Volatile.Read(ref restoredB) >= 1, "both nodes raised Restored");
        await a.PublishAsync(Delivery("/open/room", 3), CancellationToken.None);
        await a.PublishAsync(Delivery("/open/hall", 4), CancellationToken.None);
        await b.PublishAsync(Delivery("/open/back", 5), CancellationToken.None);
        await WaitUntilAsync(() => onB.Count == 3 && onA.Count == 1, "old and new subscriptions work again");
        Assert.Equal(["/open/room", "/open/room", "/open/hall"], onB.Select(m => m.Channel));
        Assert.Equal("/open/back", Assert.Single(onA).Channel);
    }

    [Fact]
    public async Task ANodeThatStartsWithoutRedisServesAndJoinsLater()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await redis.KillAsync();
        var prefix = TestRedis.NewPrefix();
        await using var a = TestRedis.Backplane(TestRedis.Options("A", prefix, redis.Configuration));
        var restored = 0;
        a.Restored += () => Interlocked.Increment(ref restored);
        var onA = new ConcurrentQueue<BackplaneMessage>();

        await a.StartAsync(m => { onA.Enqueue(m); return ValueTask.CompletedTask; }, CancellationToken.None);
        Assert.False(a.IsConnected);
        await a.AddInterestAsync("/open/room", CancellationToken.None);
        await a.PublishAsync(Delivery("/open/room", 1), CancellationToken.None);

        await redis.StartAgainAsync();
        await using var b = TestRedis.Backplane(TestRedis.Options("B", prefix, redis.Configuration));
        await b.StartAsync(_ => ValueTask.CompletedTask, CancellationToken.None);
        // It missed whatever was sent before it joined: its sessions must resync.
        await WaitUntilAsync(() => a.IsConnected && Volatile.Read(ref restored) == 1, "A joined and raised Restored");
        await b.PublishAsync(Delivery("/open/room", 2), CancellationToken.None);
        await WaitUntilAsync(() => onA.Count == 1, "A receives B's broadcast");
    }

    [Fact]
    public async Task DirectoryEntriesAreRewrittenAfterRedisRestartsEmpty()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        var prefix = TestRedis.NewPrefix();
        await using var a = TestRedis.Directory(TestRedis.Options("A", prefix, redis.Configuration));
        await using var b = TestRedis.Directory(TestRedis.Options("B", prefix, redis.Configuration));
        var onA = new ConcurrentQueue<ClusterSignal>();
        a.SignalReceived += onA.Enqueue;
        await a.StartAsync();
        await b.StartAsync();
        await a.SetPresenceAsync("alice", PresenceStatus.Online);
        await a.SetPresenceAsync("bob", PresenceStatus.Busy);
        await WaitUntilAsync(async () => await b.GetPresenceAsync("alice") == PresenceStatus.Online, "B sees alice");

        await redis.KillAsync();

        var clock = Stopwatch.StartNew();
        await a.SetPresenceAsync("carol", PresenceStatus.Away); // kept locally, written back later
        await a.SetPresenceAsync("bob", PresenceStatus.Offline);
        Assert.Equal(PresenceStatus.Online, await a.GetPresenceAsync("alice")); // its own users, from memory
        await b.SendAsync(new ClusterSignal(ClusterSignal.KickAll, "alice")); // dropped
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"calls took {clock.Elapsed} while Redis was down");

        await redis.StartAgainAsync();

        await WaitUntilAsync(
            async () => (await b.GetPresenceAsync(["alice", "bob", "carol"])).SequenceEqual([PresenceStatus.Online, PresenceStatus.Offline, PresenceStatus.Away]),
            "A's entries are back as A last set them");
        await WaitUntilAsync(async () =>
        {
            await b.SendAsync(new ClusterSignal(ClusterSignal.KickAll, "alice", Data: "after"));
            return onA.Any(s => s.Data == "after");
        }, "signals flow again");
    }
}
