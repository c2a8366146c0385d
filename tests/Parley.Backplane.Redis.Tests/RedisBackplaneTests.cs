using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Parley.Backplane.Redis.Tests.Support;
using Parley.Bayeux.Backplane;
using Parley.Bayeux.Messages;

namespace Parley.Backplane.Redis.Tests;

/// <summary>What the specification cannot see from outside: order and exactly-once while subscriptions change under traffic.</summary>
public sealed class RedisBackplaneTests : IAsyncLifetime
{
    private readonly string _prefix = TestRedis.NewPrefix();
    private readonly List<IBackplane> _nodes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        await TestRedis.DeletePrefixAsync(_prefix);
    }

    private async Task<(IBackplane Node, ConcurrentQueue<BackplaneMessage> Received)> StartAsync(string nodeId)
    {
        var node = TestRedis.Backplane(TestRedis.Options(nodeId, _prefix));
        _nodes.Add(node);
        var received = new ConcurrentQueue<BackplaneMessage>();
        await node.StartAsync(m =>
        {
            received.Enqueue(m);
            return ValueTask.CompletedTask;
        }, CancellationToken.None);
        return (node, received);
    }

    private static EncodedMessage Delivery(string channel, int data) => BayeuxCodec.EncodeDelivery(channel, JsonSerializer.SerializeToElement(data));

    private static int DataOf(BackplaneMessage message) => JsonDocument.Parse(message.Utf8Json).RootElement.GetProperty("data").GetInt32();

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(20))
                Assert.Fail("Timed out waiting until " + what);
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task OrderAndExactlyOnceHoldWhileOverlappingSubscriptionsComeAndGo()
    {
        var (a, _) = await StartAsync("A");
        var (b, received) = await StartAsync("B");
        await b.AddInterestAsync("/open/room", CancellationToken.None);
        const int count = 3000;

        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
            {
                await a.PublishAsync(Delivery("/open/room", i), CancellationToken.None);
                if (i % 20 == 0)
                    await Task.Delay(1);
            }
        });
        // At every instant some subscription of B covers /open/room, each one replaced under traffic.
        while (!publishing.IsCompleted)
        {
            await b.AddInterestAsync("/open/*", CancellationToken.None);
            b.RemoveInterest("/open/room");
            await b.AddInterestAsync("/open/**", CancellationToken.None);
            await b.AddInterestAsync("/open/room", CancellationToken.None);
            b.RemoveInterest("/open/*");
            b.RemoveInterest("/open/**");
        }
        await publishing;
        await a.PublishAsync(Delivery("/open/room", count), CancellationToken.None);

        await WaitUntilAsync(() => received.Any(m => DataOf(m) == count), "the last message arrived");
        var data = received.Select(DataOf).ToArray();
        var first = Enumerable.Range(0, Math.Min(data.Length, count + 1)).FirstOrDefault(i => data[i] != i, -1);


        Assert.True(first < 0 && data.Length == count + 1, $"dropped {((RedisBackplane)a).DroppedPublishes}, {data.Length} received; first out of place at {first}: {string.Join(",", data.Skip(Math.Max(0, first - 3)).Take(10))}");
        Assert.All(received, m => Assert.Equal("A", m.OriginNodeId));
    }

    [Fact]
    public async Task AQuickUnsubscribeAndSubscribeLeavesTheNodeSubscribed()
    {
        var (a, _) = await StartAsync("A");
        var (b, received) = await StartAsync("B");

        for (var i = 0; i < 20; i++)
        {
            await b.AddInterestAsync("/open/room", CancellationToken.None);
            b.RemoveInterest("/open/room");
        }
        await b.AddInterestAsync("/open/room", CancellationToken.None);
        await a.PublishAsync(Delivery("/open/room", 1), CancellationToken.None);

        await WaitUntilAsync(() => received.Count == 1, "the message arrived");
        Assert.Equal(1, DataOf(Assert.Single(received)));
    }

    [Fact]
    public async Task APatternMatchesOnlyWhatTheBayeuxRuleMatches()
    {
        var (a, _) = await StartAsync("A");
        var (b, received) = await StartAsync("B");
        await b.AddInterestAsync("/open/*", CancellationToken.None);
        await b.AddInterestAsync("/deep/**", CancellationToken.None);

        await a.PublishAsync(Delivery("/open/a/b", 1), CancellationToken.None); // one segment only: not for /open/*
        await a.PublishAsync(Delivery("/openx/a", 2), CancellationToken.None);
        await a.PublishAsync(Delivery("/deep/a/b/c", 3), CancellationToken.None);
        await a.PublishAsync(Delivery("/open/a", 4), CancellationToken.None);

        await WaitUntilAsync(() => received.Count == 2, "two messages arrived");
        Assert.Equal([3, 4], received.Select(DataOf).Order()); // two channels: no order between them
    }

    [Fact]
    public async Task GlobCharactersInAChannelNameAreLiteral()
    {
        var (a, _) = await StartAsync("A");
        var (b, received) = await StartAsync("B");
        // '[', '*' and '?' are not Bayeux segment characters, but the prefix and ids come from outside.
        Assert.Equal("p\\[x\\]\\*\\?\\\\ch:", RedisKeys.EscapeGlob("p[x]*?\\ch:"));
        await b.AddInterestAsync("/open/$(x)/*", CancellationToken.None);

        await a.PublishAsync(Delivery("/open/$(y)/1", 1), CancellationToken.None);
        await a.PublishAsync(Delivery("/open/$(x)/2", 2), CancellationToken.None);

        await WaitUntilAsync(() => received.Count == 1, "one message arrived");
        Assert.Equal(2, DataOf(Assert.Single(received)));
    }

    [Fact]
    public void AFrameSurvivesTheRoundTrip()
    {
        var bytes = BackplaneFrame.Encode(BackplaneFrame.KindBroadcast, 42, 7, "节点-1"u8, "/聊天/房间", "{\"t\":\"✓\"}"u8);

        Assert.True(BackplaneFrame.TryDecode(bytes, out var frame));
        Assert.Equal(42, frame.Instance);
        Assert.Equal(7, frame.Sequence);
        Assert.Equal("节点-1", System.Text.Encoding.UTF8.GetString(frame.OriginUtf8.Span));
        Assert.Equal("/聊天/房间", frame.Channel);
        Assert.Equal("{\"t\":\"✓\"}", System.Text.Encoding.UTF8.GetString(frame.Payload.Span));
        Assert.False(BackplaneFrame.TryDecode(bytes[..10], out _));
        Assert.False(BackplaneFrame.TryDecode(null, out _));
    }
}
