using Parley.Backplane.Redis;
using Parley.Chat.Storage;
using Parley.Storage.Postgres;

namespace Parley.Server.Cluster;

/// <summary>
/// Cluster mode: <c>Storage:Postgres</c> puts the data in PostgreSQL, <c>Cluster:Redis</c> joins
/// the nodes through Redis (broadcasts, the user directory, kicks), <c>Cluster:NodeId</c> names
/// this node (generated when absent). Without them Parley is one process on SQLite.
/// </summary>
internal static class ClusterServiceCollectionExtensions
{
    public static IServiceCollection AddParleyCluster(this IServiceCollection services, IConfiguration configuration)
    {
        var postgres = configuration["Storage:Postgres"];
        var redis = configuration["Cluster:Redis"];
        if (!string.IsNullOrEmpty(redis) && string.IsNullOrEmpty(postgres))
            throw new InvalidOperationException("Cluster:Redis needs Storage:Postgres: the nodes of a cluster share one database.");
        if (!string.IsNullOrEmpty(postgres))
        {
            services.AddSingleton<IChatStore>(sp => new PostgresChatStore(
                new PostgresStoreOptions { ConnectionString = postgres },
                sp.GetRequiredService<ILogger<PostgresChatStore>>()));
        }
        if (!string.IsNullOrEmpty(redis))
        {
            var section = configuration.GetSection("Cluster");
            services.AddRedisCluster(options =>
            {
                options.Configuration = redis;
                if (section["NodeId"] is { Length: > 0 } nodeId)
                    options.NodeId = nodeId;
                if (section.GetValue<TimeSpan?>("HeartbeatInterval") is { } heartbeat)
                    options.HeartbeatInterval = heartbeat;
                if (section.GetValue<TimeSpan?>("NodeTtl") is { } ttl)
                    options.NodeTtl = ttl;
            });
        }
        return services;
    }

    /// <summary>True when this node is one of several (Cluster:Redis is set).</summary>
    public static bool IsCluster(IConfiguration configuration) => !string.IsNullOrEmpty(configuration["Cluster:Redis"]);
}
