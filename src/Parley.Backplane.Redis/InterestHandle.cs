using StackExchange.Redis;

namespace Parley.Backplane.Redis;

/// <summary>
/// One Redis subscription for one Bayeux channel or pattern the node's sessions are subscribed to,
/// with its own ordered message queue. Every field is guarded by the backplane's lock.
/// </summary>
internal sealed class InterestHandle(string interest, RedisChannel redisChannel)
{
    /// <summary>The Bayeux channel or pattern.</summary>
    public string Interest { get; } = interest;

    public RedisChannel RedisChannel { get; } = redisChannel;

    /// <summary>Local subscriptions on <see cref="Interest"/>; the handle is removed at zero.</summary>
    public int References { get; set; }

    /// <summary>
    /// Order in which the SUBSCRIBE went out on the subscription connection (max until it did). Of two
    /// subscriptions that match a channel the older one has received every broadcast the younger has.
    /// </summary>
    public long Ordinal { get; set; } = long.MaxValue;

    /// <summary>Null until subscribed (deferred while Redis is unreachable).</summary>
    public ChannelMessageQueue? Queue { get; set; }

    /// <summary>Its last local subscription ended: an unsubscribe is on its way.</summary>
    public bool Removing { get; set; }

    /// <summary>The queue no longer receives: what it holds is the rest.</summary>
    public bool Detached { get; set; }

    /// <summary>Completes once Redis confirmed the subscription (or at once while Redis is unreachable).</summary>
    public TaskCompletionSource Subscribed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Copies this subscription received for channels an older one owns, until that one handled them.</summary>
    public Queue<BackplaneFrame> Held { get; } = new();

    /// <summary>Cancelled once the queue is detached for good: its reader takes what is left and ends.</summary>
    public CancellationTokenSource Drained { get; } = new();

    /// <summary>Completes when the queue was read to its end after <see cref="Detached"/>.</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
