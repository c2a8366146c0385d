using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Bayeux.Backplane;
using Parley.Chat.Cluster;

namespace Parley.Backplane.Redis;

/// <summary>Registers cluster mode on Redis.</summary>
public static class RedisClusterServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="RedisClusterOptions"/>, one Redis connection per node, and on it the
    /// <see cref="IBackplane"/> and the <see cref="IClusterDirectory"/>, all singletons. Registered
    /// after a single-node <see cref="IClusterDirectory"/>, these win. Heartbeats and reconnection run on
    /// the real clock even where the host registers a fake <see cref="TimeProvider"/>: Redis keys expire
    /// in real time.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options (connection string, node id, key prefix, timings).</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddRedisCluster(this IServiceCollection services, Action<RedisClusterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<RedisClusterOptions>().Configure(configure);
        services.AddSingleton(sp => new RedisConnection(
            sp.GetRequiredService<IOptions<RedisClusterOptions>>().Value,
            sp.GetService<ILogger<RedisConnection>>()));
        services.AddSingleton<IBackplane>(sp => new RedisBackplane(
            sp.GetRequiredService<RedisConnection>(),
            sp.GetService<ILogger<RedisBackplane>>(),
            TimeProvider.System));
        services.AddSingleton<IClusterDirectory>(sp => new RedisClusterDirectory(
            sp.GetRequiredService<RedisConnection>(),
            sp.GetService<ILogger<RedisClusterDirectory>>(),
            TimeProvider.System));
        return services;
    }
}
