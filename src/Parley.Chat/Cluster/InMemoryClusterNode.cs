using System.Threading.Channels;
using Parley.Chat.Presence;

namespace Parley.Chat.Cluster;

/// <summary>A node of an <see cref="InMemoryClusterHub"/>: signals and lost users arrive in order on its own loop.</summary>
internal sealed class InMemoryClusterNode : IClusterDirectory
{
    private readonly InMemoryClusterHub _hub;
    private readonly Channel<Event> _inbox = Channel.CreateUnbounded<Event>(new UnboundedChannelOptions { SingleReader = true });
    private Task? _reader;

    public InMemoryClusterNode(InMemoryClusterHub hub, string nodeId)
    {
        _hub = hub;
        NodeId = nodeId;
    }

    public string NodeId { get; }

    /// <summary>Killed or disposed: nothing it does counts any more. Guarded by the hub's lock.</summary>
    public bool Dead { get; set; }

    public event Action<ClusterSignal>? SignalReceived;

    public event Func<IReadOnlyList<string>, Task>? UsersLost;

    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_reader is not null)
            throw new InvalidOperationException("The directory is already started.");
        _reader = ReadAsync();
        _hub.Join(this);
        return Task.CompletedTask;
    }

    public ValueTask SetPresenceAsync(string userId, PresenceStatus status, CancellationToken cancellationToken = default)
    {
        _hub.SetPresence(this, userId, status);
        return ValueTask.CompletedTask;
    }

    public ValueTask<PresenceStatus> GetPresenceAsync(string userId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_hub.GetPresence(userId));

    public ValueTask<PresenceStatus[]> GetPresenceAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken = default)
    {
        var statuses = new PresenceStatus[userIds.Count];
        for (var i = 0; i < statuses.Length; i++)
            statuses[i] = _hub.GetPresence(userIds[i]);
        return ValueTask.FromResult(statuses);
    }

    public ValueTask SendAsync(ClusterSignal signal, CancellationToken cancellationToken = default)
    {
        _hub.Send(this, signal);
        return ValueTask.CompletedTask;
    }

    internal void Post(Event e) => _inbox.Writer.TryWrite(e);

    private async Task ReadAsync()
    {
        await foreach (var e in _inbox.Reader.ReadAllAsync())
        {
            try
            {
                if (e.Signal is not null)
                {
                    SignalReceived?.Invoke(e.Signal);
                }
                else if (e.LostUsers is not null && UsersLost is { } handlers)
                {
                    foreach (var handler in handlers.GetInvocationList().Cast<Func<IReadOnlyList<string>, Task>>())
                        await handler(e.LostUsers);
                }
            }
#pragma warning disable CA1031 // a failing test handler must not stop the node's loop
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Leaving counts as dying: a survivor learns which users this node held.
        _hub.Leave(this);
        _inbox.Writer.TryComplete();
        if (_reader is not null)
            await _reader;
    }

    internal readonly record struct Event(ClusterSignal? Signal, IReadOnlyList<string>? LostUsers);
}
