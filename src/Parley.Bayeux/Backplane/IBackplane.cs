using Parley.Bayeux.Messages;

namespace Parley.Bayeux.Backplane;

/// <summary>
/// Carries broadcasts between nodes. The publishing node fans out to its own sessions itself;
/// the backplane delivers to every other node, never back to the sender.
/// </summary>
public interface IBackplane : IAsyncDisposable
{
    /// <summary>This node's id.</summary>
    string NodeId { get; }

    /// <summary>Starts receiving other nodes' broadcasts.</summary>
    ValueTask StartAsync(Func<BackplaneMessage, ValueTask> onMessage, CancellationToken cancellationToken);

    /// <summary>Sends a broadcast to the other nodes.</summary>
    ValueTask PublishAsync(EncodedMessage message, CancellationToken cancellationToken);
}
