using System.Collections.Concurrent;

namespace Parley.Bayeux.Backplane;

/// <summary>The shared medium of <see cref="InMemoryBackplane"/> nodes in one process (tests, single-process clusters).</summary>
public sealed class InMemoryBackplaneHub
{
    private readonly ConcurrentDictionary<string, InMemoryBackplane> _nodes = new(StringComparer.Ordinal);

    /// <summary>Creates a node attached to this hub.</summary>
    public InMemoryBackplane CreateNode(string? nodeId = null) => new(this, nodeId ?? Guid.NewGuid().ToString("N"));

    internal void Join(InMemoryBackplane node) => _nodes[node.NodeId] = node;

    internal void Leave(InMemoryBackplane node) => _nodes.TryRemove(new KeyValuePair<string, InMemoryBackplane>(node.NodeId, node));

    internal void Broadcast(BackplaneMessage message)
    {
        foreach (var (id, node) in _nodes)
        {
            if (id != message.OriginNodeId)
                node.Receive(message);
        }
    }
}
