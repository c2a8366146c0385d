namespace Parley.Backplane.Redis;

/// <summary>Cluster mode on Redis: where Redis is, who this node is, and how quickly a dead node is noticed.</summary>
public sealed class RedisClusterOptions
{
    /// <summary>A StackExchange.Redis connection string, e.g. <c>127.0.0.1:6379,password=…</c>.</summary>
    public string Configuration { get; set; } = "127.0.0.1:6379";

    /// <summary>This node's id, unique in the cluster; generated when not configured.</summary>
    public string NodeId { get; set; } = Environment.MachineName.ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Prepended to every key and channel, so several clusters (or test runs) can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "parley:";

    /// <summary>How long a node's entries count after its last heartbeat: a node silent this long is taken for dead.</summary>
    public TimeSpan NodeTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a node refreshes its entries, learns which nodes are alive and reaps the dead ones.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two reconnection attempts (the back-off grows exponentially up to it).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);
}
