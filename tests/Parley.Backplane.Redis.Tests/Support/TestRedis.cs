using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Parley.Backplane.Redis.Tests.Support;

/// <summary>The shared test Redis (PARLEY_TEST_REDIS) and per-test key prefixes, so tests run in parallel on it.</summary>
internal static class TestRedis
{
    public const string Variable = "PARLEY_TEST_REDIS";

    /// <summary>The connection string; fails the test (never skips it) when no Redis was given.</summary>
    public static string Configuration
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(value))
                Assert.Fail($"{Variable} is not set: these tests need a Redis. Run `./test.sh cluster`, or `scripts/redis.sh start` and then `{Variable}=127.0.0.1:26379 dotnet test tests/Parley.Backplane.Redis.Tests`.");
            return value;
        }
    }

    public static string NewPrefix() => $"parley-test-{Guid.NewGuid():N}:";

    public static RedisClusterOptions Options(string nodeId, string prefix, string? configuration = null) => new()
    {
        Configuration = configuration ?? Configuration,
        NodeId = nodeId,
        KeyPrefix = prefix,
        NodeTtl = TimeSpan.FromSeconds(2),
        HeartbeatInterval = TimeSpan.FromMilliseconds(250),
        MaxReconnectDelay = TimeSpan.FromSeconds(1),
    };

    public static RedisBackplane Backplane(RedisClusterOptions options) =>
        new(new RedisConnection(options), NullLogger<RedisBackplane>.Instance, ownsConnection: true);

    public static RedisClusterDirectory Directory(RedisClusterOptions options) =>
        new(new RedisConnection(options), NullLogger<RedisClusterDirectory>.Instance, ownsConnection: true);

    /// <summary>A plain connection for looking at (or tampering with) what the nodes wrote.</summary>
    public static Task<ConnectionMultiplexer> ConnectAsync(string? configuration = null) =>
        ConnectionMultiplexer.ConnectAsync(configuration ?? Configuration);

    /// <summary>Deletes every key under a prefix (tests leave nothing behind in the shared Redis).</summary>
    public static async Task DeletePrefixAsync(string prefix)
    {
        await using var connection = await ConnectAsync();
        var server = connection.GetServers()[0];
        var database = connection.GetDatabase();
        await foreach (var key in server.KeysAsync(pattern: RedisKeys.EscapeGlob(prefix) + "*"))
            await database.KeyDeleteAsync(key);
    }
}
