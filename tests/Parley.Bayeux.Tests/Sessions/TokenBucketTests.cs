using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;
using Parley.Bayeux.Tests.Support;

namespace Parley.Bayeux.Tests.Sessions;

public sealed class TokenBucketTests
{
    private const long Frequency = 1_000; // timestamps in milliseconds

    [Fact]
    public void ABurstUpToCapacityIsAllowedThenRefused()
    {
        var bucket = new TokenBucket(ratePerSecond: 1, capacity: 3, nowTimestamp: 0);

        Assert.True(bucket.TryTake(0, Frequency));
        Assert.True(bucket.TryTake(0, Frequency));
        Assert.True(bucket.TryTake(0, Frequency));
        Assert.False(bucket.TryTake(0, Frequency));
        Assert.False(bucket.TryTake(0, Frequency));
    }

    [Fact]
    public void TheBucketRefillsWithTime()
    {
        var bucket = new TokenBucket(ratePerSecond: 2, capacity: 2, nowTimestamp: 0);
        bucket.TryTake(0, Frequency);
        bucket.TryTake(0, Frequency);

        Assert.False(bucket.TryTake(400, Frequency));
        Assert.True(bucket.TryTake(500, Frequency));
        Assert.False(bucket.TryTake(500, Frequency));
        Assert.True(bucket.TryTake(1_000, Frequency));
    }

    [Fact]
    public void RefillNeverExceedsCapacity()
    {
        var bucket = new TokenBucket(ratePerSecond: 10, capacity: 2, nowTimestamp: 0);

        Assert.True(bucket.TryTake(100_000, Frequency));
        Assert.True(bucket.TryTake(100_000, Frequency));
        Assert.False(bucket.TryTake(100_000, Frequency));
    }

    [Fact]
    public void ANonPositiveRateMeansUnlimited()
    {
        var bucket = new TokenBucket(ratePerSecond: 0, capacity: 0, nowTimestamp: 0);

        for (var i = 0; i < 1_000; i++)
            Assert.True(bucket.TryTake(0, Frequency));
    }

    [Fact]
    public async Task ASessionPublishingBeyondItsBurstIsRateLimitedAndOthersAreNot()
    {
        await using var server = new TestServer(o => { o.PublishBurst = 3; o.PublishRatePerSecond = 1; });
        var noisy = await server.HandshakeAsync();
        var quiet = await server.HandshakeAsync();

        for (var i = 0; i < 3; i++)
            Assert.True((await server.PublishAsync(noisy, "/open/room")).Successful);
        var limited = await server.PublishAsync(noisy, "/open/room", id: "p4");
        var other = await server.PublishAsync(quiet, "/open/room");

        Assert.False(limited.Successful);
        Assert.Equal("409::rate_limited", limited.Error);
        Assert.Equal("p4", limited.Id);
        Assert.True(other.Successful);
        Assert.Equal(1, server.Server.Metrics.RateLimited);
        Assert.NotNull(server.Server.GetSession(noisy));

        server.AdvanceMs(1_000);
        Assert.True((await server.PublishAsync(noisy, "/open/room")).Successful);
        Assert.Equal("409::rate_limited", (await server.PublishAsync(noisy, "/open/room")).Error);
    }

    [Fact]
    public async Task ARateLimitedPublishIsNotDelivered()
    {
        await using var server = new TestServer(o => { o.PublishBurst = 1; o.PublishRatePerSecond = 1; });
        var subscriber = await server.HandshakeAsync();
        var publisher = await server.HandshakeAsync();
        await server.SubscribeAsync(subscriber, "/open/room");

        await server.PublishAsync(publisher, "/open/room", "1");
        await server.PublishAsync(publisher, "/open/room", "2");

        Assert.Equal(1, server.Server.GetSession(subscriber)!.QueueLength);
    }

    [Fact]
    public async Task TheDefaultLimitsAllowABurstOfAHundredPublishes()
    {
        await using var server = new TestServer();
        var clientId = await server.HandshakeAsync();

        var batch = Enumerable.Range(0, 100)
            .Select(i => new BayeuxMessage { Channel = "/open/room", ClientId = clientId, Data = Json.Parse("1") })
            .ToArray();
        var result = await server.SendAsync(batch);

        Assert.All(result.Replies, reply => Assert.True(reply.Successful, reply.Error));
    }
}
