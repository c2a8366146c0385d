using System.Collections.Concurrent;
using Parley.Chat.Presence;

namespace Parley.Chat.Cluster;

/// <summary>The directory of a node alone: its own presence entries in memory, and no other node to signal.</summary>
public sealed class LocalClusterDirectory : IClusterDirectory
{
    private readonly ConcurrentDictionary<string, PresenceStatus> _presence = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string NodeId => "local";

    /// <inheritdoc />
    public event Action<ClusterSignal>? SignalReceived
    {
        add { }
        remove { }
    }

    /// <inheritdoc />
    public event Func<IReadOnlyList<string>, Task>? UsersLost
    {
        add { }
        remove { }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask SetPresenceAsync(string userId, PresenceStatus status, CancellationToken cancellationToken = default)
    {
        if (status == PresenceStatus.Offline)
            _presence.TryRemove(userId, out _);
        else
            _presence[userId] = status;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<PresenceStatus> GetPresenceAsync(string userId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_presence.GetValueOrDefault(userId, PresenceStatus.Offline));

    /// <inheritdoc />
    public ValueTask<PresenceStatus[]> GetPresenceAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken = default)
    {
        var statuses = new PresenceStatus[userIds.Count];
        for (var i = 0; i < statuses.Length; i++)
            statuses[i] = _presence.GetValueOrDefault(userIds[i], PresenceStatus.Offline);
        return ValueTask.FromResult(statuses);
    }

    /// <inheritdoc />
    public ValueTask SendAsync(ClusterSignal signal, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
