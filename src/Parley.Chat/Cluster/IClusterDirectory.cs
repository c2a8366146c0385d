using Parley.Chat.Presence;

namespace Parley.Chat.Cluster;

/// <summary>
/// What the nodes of a cluster share about people: which nodes hold a user's sessions and with
/// which presence, and signals from one node to the others (a sign-in that must end older
/// sessions elsewhere, a kick of every session, a notice to everyone). A single node uses
/// <see cref="LocalClusterDirectory"/>; a cluster uses Redis. Entries of a node that stops
/// refreshing them (it died) stop counting by themselves, and one surviving node is told which
/// users it held so their friends learn they went offline.
/// </summary>
public interface IClusterDirectory : IAsyncDisposable
{
    /// <summary>This node's id.</summary>
    string NodeId { get; }

    /// <summary>Starts refreshing this node's entries and listening for signals and lost nodes.</summary>
    Task StartAsync(CancellationToken cancellationToken = default);

    /// <summary>Records this node's aggregate status for a user; <see cref="PresenceStatus.Offline"/> removes this node's entry.</summary>
    ValueTask SetPresenceAsync(string userId, PresenceStatus status, CancellationToken cancellationToken = default);

    /// <summary>The user's most available status over every live node (invisible included; the caller hides it).</summary>
    ValueTask<PresenceStatus> GetPresenceAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The same for many users in one round trip, in the order given.</summary>
    ValueTask<PresenceStatus[]> GetPresenceAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>Sends a signal to the other nodes (those holding <see cref="ClusterSignal.UserId"/>'s sessions where the directory knows them). Never back to this node.</summary>
    ValueTask SendAsync(ClusterSignal signal, CancellationToken cancellationToken = default);

    /// <summary>Raised for a signal another node sent.</summary>
    event Action<ClusterSignal>? SignalReceived;

    /// <summary>Raised on one surviving node with the users a dead node held; their presence must be recomputed and pushed.</summary>
    event Func<IReadOnlyList<string>, Task>? UsersLost;
}
