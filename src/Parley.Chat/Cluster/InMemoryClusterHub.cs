using Parley.Chat.Presence;

namespace Parley.Chat.Cluster;

/// <summary>
/// Several <see cref="IClusterDirectory"/> nodes in one process sharing one medium: for tests of
/// cluster behaviour without Redis. <see cref="Kill"/> makes a node die as a crashed one would: its
/// entries stop counting and one surviving node is told which users it held.
/// </summary>
public sealed class InMemoryClusterHub
{
    private readonly Lock _lock = new();
    private readonly List<InMemoryClusterNode> _nodes = [];
    private readonly Dictionary<string, Dictionary<string, PresenceStatus>> _presence = new(StringComparer.Ordinal);

    /// <summary>Creates a node attached to this hub; it joins when started.</summary>
    public IClusterDirectory CreateNode(string? nodeId = null) => new InMemoryClusterNode(this, nodeId ?? Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Kills a node: it stops counting and receiving at once, its entries are removed, and the oldest
    /// surviving started node raises <see cref="IClusterDirectory.UsersLost"/> with the users it held.
    /// </summary>
    public void Kill(string nodeId)
    {
        InMemoryClusterNode? dead;
        lock (_lock)
            dead = _nodes.Find(n => n.NodeId == nodeId);
        if (dead is not null)
            Leave(dead);
    }

    internal void Join(InMemoryClusterNode node)
    {
        lock (_lock)
        {
            if (!_nodes.Contains(node))
                _nodes.Add(node);
        }
    }

    internal void Leave(InMemoryClusterNode node)
    {
        List<string> users = [];
        InMemoryClusterNode? survivor;
        lock (_lock)
        {
            if (!_nodes.Remove(node))
                return;
            node.Dead = true;
            foreach (var (userId, entries) in _presence)
            {
                if (entries.Remove(node.NodeId))
                    users.Add(userId);
            }
            foreach (var userId in users)
            {
                if (_presence[userId].Count == 0)
                    _presence.Remove(userId);
            }
            survivor = _nodes.Count > 0 ? _nodes[0] : null;
        }
        if (survivor is not null && users.Count > 0)
            survivor.Post(new InMemoryClusterNode.Event(null, users));
    }

    internal void SetPresence(InMemoryClusterNode node, string userId, PresenceStatus status)
    {
        lock (_lock)
        {
            if (node.Dead || !_nodes.Contains(node))
                return;
            if (status == PresenceStatus.Offline)
            {
                if (_presence.TryGetValue(userId, out var entries) && entries.Remove(node.NodeId) && entries.Count == 0)
                    _presence.Remove(userId);
                return;
            }
            if (!_presence.TryGetValue(userId, out var map))
                _presence[userId] = map = new Dictionary<string, PresenceStatus>(StringComparer.Ordinal);
            map[node.NodeId] = status;
        }
    }

    internal PresenceStatus GetPresence(string userId)
    {
        lock (_lock)
        {
            var best = PresenceStatus.Offline;
            if (_presence.TryGetValue(userId, out var entries))
            {
                foreach (var status in entries.Values)
                {
                    if (status > best)
                        best = status;
                }
            }
            return best;
        }
    }

    internal void Send(InMemoryClusterNode sender, ClusterSignal signal)
    {
        List<InMemoryClusterNode> targets = [];
        lock (_lock)
        {
            if (sender.Dead || !_nodes.Contains(sender))
                return;
            if (signal.Kind == ClusterSignal.Notice)
            {
                targets.AddRange(_nodes);
            }
            else if (_presence.TryGetValue(signal.UserId, out var entries))
            {
                foreach (var node in _nodes)
                {
                    if (entries.ContainsKey(node.NodeId))
                        targets.Add(node);
                }
            }
        }
        foreach (var target in targets)
        {
            if (target != sender)
                target.Post(new InMemoryClusterNode.Event(signal, null));
        }
    }
}
