using Parley.Bayeux.Messages;

namespace Parley.Bayeux.Backplane;

/// <summary>
/// Carries broadcasts between nodes. The publishing node fans out to its own sessions itself;
/// the backplane delivers to every other node that has a matching subscription, never back to
/// the sender, and keeps each sender's broadcasts in order. A node that subscribes to both a
/// channel and a pattern matching it still receives each broadcast once.
/// </summary>
public interface IBackplane : IAsyncDisposable
{
    /// <summary>This node's id.</summary>
    string NodeId { get; }

    /// <summary>True while broadcasts flow; false while the medium is unreachable (the node keeps serving its own sessions).</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Raised after an outage ended — this node's or one another node reported — because broadcasts
    /// sent meanwhile are lost: sessions should resynchronize from the store.
    /// </summary>
    event Action? Restored;

    /// <summary>Starts receiving other nodes' broadcasts.</summary>
    ValueTask StartAsync(Func<BackplaneMessage, ValueTask> onMessage, CancellationToken cancellationToken);

    /// <summary>Sends a broadcast to the other nodes. Never throws for an unreachable medium: the broadcast is then dropped.</summary>
    ValueTask PublishAsync(EncodedMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// A local session subscribed to a channel or pattern (called once per session and channel).
    /// Completes when broadcasts on it reach this node, or at once while the medium is unreachable.
    /// </summary>
    ValueTask AddInterestAsync(string channel, CancellationToken cancellationToken);

    /// <summary>A local subscription added with <see cref="AddInterestAsync"/> ended.</summary>
    void RemoveInterest(string channel);
}
