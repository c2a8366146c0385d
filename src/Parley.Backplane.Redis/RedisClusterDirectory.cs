using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Chat.Cluster;
using Parley.Chat.Presence;
using StackExchange.Redis;

namespace Parley.Backplane.Redis;

/// <summary>
/// The user directory on Redis. Keys, under the prefix:
/// <c>node:{id}</c> (expires after NodeTtl unless refreshed: the node is alive),
/// <c>nodes</c> (every node id that registered), <c>presence:{user}</c> (hash node id → status),
/// <c>nodeusers:{id}</c> (the users a node has entries for), <c>reap:{id}</c> (who cleans up a dead node).
/// Channels: <c>signal:{id}</c> per node and <c>signals</c> for notices to every node.
/// </summary>
/// <remarks>
/// Every heartbeat refreshes the node key — EXPIRE answers whether it was still there; when it was not
/// (Redis restarted empty, or this node was cut off long enough to be reaped) or a write failed
/// meanwhile, the node rewrites its entries from a local mirror of what it set. Then it reads which
/// nodes are alive and reaps the dead: the first survivor to take <c>reap:{id}</c> removes the dead
/// node's entries in one script (which does nothing if the node came back) and raises
/// <see cref="UsersLost"/> with its users.
/// </remarks>
internal sealed partial class RedisClusterDirectory : IClusterDirectory
{
    // Runs atomically, so a node that rewrites its entries is either reaped before or not at all.
    private const string ReapScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return false end
        local users = redis.call('SMEMBERS', KEYS[2])
        for _, user in ipairs(users) do redis.call('HDEL', ARGV[2] .. user, ARGV[1]) end
        redis.call('DEL', KEYS[2])
        redis.call('SREM', KEYS[3], ARGV[1])
        return users
        """;

    private readonly RedisConnection _connection;
    private readonly RedisClusterOptions _options;
    private readonly RedisKeys _keys;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly bool _ownsConnection;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, PresenceStatus> _mirror = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly RedisValue _nodeValue;
    private IDatabase? _database;
    private ISubscriber? _subscriber;
    private ChannelMessageQueue? _ownSignals;
    private ChannelMessageQueue? _notices;
    private Task? _heartbeat;
    private readonly List<Task> _readers = [];
    private volatile bool _dirty = true;
    private volatile bool _stopped;
    private int _disposed;

    // Nodes whose key existed (alive) or was missing (dead) at the last heartbeat; a node in neither
    // (it joined since) is looked up once on demand.
    private HashSet<string> _alive = new(StringComparer.Ordinal);
    private HashSet<string> _dead = new(StringComparer.Ordinal);

    public RedisClusterDirectory(RedisConnection connection, ILogger<RedisClusterDirectory>? logger = null, TimeProvider? time = null, bool ownsConnection = false)
    {
        _connection = connection;
        _options = connection.Options;
        _keys = connection.Keys;
        _logger = logger ?? NullLogger<RedisClusterDirectory>.Instance;
        _time = time ?? TimeProvider.System;
        _ownsConnection = ownsConnection;
        _nodeValue = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        NodeId = _options.NodeId;
    }

    /// <inheritdoc />
    public string NodeId { get; }

    /// <inheritdoc />
    public event Action<ClusterSignal>? SignalReceived;

    /// <inheritdoc />
    public event Func<IReadOnlyList<string>, Task>? UsersLost;

    /// <summary>Heartbeats that ran to their end (tests wait on it instead of sleeping).</summary>
    internal long HeartbeatsCompleted => Interlocked.Read(ref _heartbeats);

    private long _heartbeats;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_database is not null)
            throw new InvalidOperationException("The directory is already started.");
        var multiplexer = await _connection.GetAsync().WaitAsync(cancellationToken);
        _subscriber = multiplexer.GetSubscriber();
        _database = multiplexer.GetDatabase();
        multiplexer.ConnectionFailed += OnConnectionFailed;
        if (multiplexer.IsConnected)
        {
            await BeatAsync(cancellationToken);
            try
            {
                // Answers after the SUBSCRIBEs: signals sent from now on arrive.
                await _subscriber.PingAsync().WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                Log.HeartbeatFailed(_logger, NodeId, ex.Message);
            }
        }
        else
        {
            EnsureSignalSubscriptions();
        }
        _heartbeat = HeartbeatLoopAsync(_stopping.Token);
    }

    // ---- presence

    /// <inheritdoc />
    public async ValueTask SetPresenceAsync(string userId, PresenceStatus status, CancellationToken cancellationToken = default)
    {
        Task write;
        lock (_lock)
        {
            if (status == PresenceStatus.Offline)
                _mirror.Remove(userId);
            else
                _mirror[userId] = status;
            var database = _database;
            if (database is null || _stopped)
                return;
            // Sent while holding the lock, so Redis sees the writes in the order of the mirror.
            try
            {
                var batch = database.CreateBatch();
                write = status == PresenceStatus.Offline
                    ? Task.WhenAll(batch.HashDeleteAsync(_keys.Presence(userId), NodeId), batch.SetRemoveAsync(_keys.NodeUsers(NodeId), userId))
                    : Task.WhenAll(batch.HashSetAsync(_keys.Presence(userId), NodeId, (int)status), batch.SetAddAsync(_keys.NodeUsers(NodeId), userId));
                batch.Execute();
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                write = Task.FromException(ex);
            }
        }
        try
        {
            await write.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            // The mirror has it: the next heartbeat that reaches Redis rewrites every entry.
            _dirty = true;
            Log.WriteFailed(_logger, ex.Message);
        }
    }

    /// <inheritdoc />
    public async ValueTask<PresenceStatus> GetPresenceAsync(string userId, CancellationToken cancellationToken = default) =>
        (await GetPresenceAsync([userId], cancellationToken))[0];

    /// <inheritdoc />
    public async ValueTask<PresenceStatus[]> GetPresenceAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken = default)
    {
        var statuses = new PresenceStatus[userIds.Count];
        var database = _database;
        if (database is null || userIds.Count == 0)
            return FromMirror(userIds, statuses);
        try
        {
            var batch = database.CreateBatch();
            var reads = new Task<HashEntry[]>[userIds.Count];
            for (var i = 0; i < reads.Length; i++)
                reads[i] = batch.HashGetAllAsync(_keys.Presence(userIds[i]));
            batch.Execute();
            var entries = await Task.WhenAll(reads).WaitAsync(cancellationToken);
            await LearnNodesAsync(database, entries.SelectMany(e => e).Select(e => (string)e.Name!), cancellationToken);
            HashSet<string> alive, dead;
            lock (_lock)
                (alive, dead) = (_alive, _dead);
            for (var i = 0; i < statuses.Length; i++)
            {
                var best = PresenceStatus.Offline;
                foreach (var entry in entries[i])
                {
                    var node = (string)entry.Name!;
                    if (node != NodeId && (!alive.Contains(node) || dead.Contains(node)))
                        continue;
                    if (entry.Value.TryParse(out int value) && Enum.IsDefined((PresenceStatus)value) && (PresenceStatus)value > best)
                        best = (PresenceStatus)value;
                }
                statuses[i] = best;
            }
            return statuses;
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            // Redis unreachable: this node can still answer for its own users.
            Log.ReadFailed(_logger, ex.Message);
            return FromMirror(userIds, statuses);
        }
    }

    private PresenceStatus[] FromMirror(IReadOnlyList<string> userIds, PresenceStatus[] statuses)
    {
        lock (_lock)
        {
            for (var i = 0; i < statuses.Length; i++)
                statuses[i] = _mirror.GetValueOrDefault(userIds[i], PresenceStatus.Offline);
        }
        return statuses;
    }

    /// <summary>Looks up, once, nodes that appeared since the last heartbeat.</summary>
    private async Task LearnNodesAsync(IDatabase database, IEnumerable<string> nodes, CancellationToken cancellationToken)
    {
        List<string>? unknown = null;
        lock (_lock)
        {
            foreach (var node in nodes)
            {
                if (node != NodeId && !_alive.Contains(node) && !_dead.Contains(node))
                    (unknown ??= []).Add(node);
            }
        }
        if (unknown is null)
            return;
        var batch = database.CreateBatch();
        var checks = unknown.Distinct(StringComparer.Ordinal).Select(n => (Node: n, Exists: batch.KeyExistsAsync(_keys.Node(n)))).ToList();
        batch.Execute();
        await Task.WhenAll(checks.Select(c => c.Exists)).WaitAsync(cancellationToken);
        lock (_lock)
        {
            var alive = new HashSet<string>(_alive, StringComparer.Ordinal);
            var dead = new HashSet<string>(_dead, StringComparer.Ordinal);
            foreach (var (node, exists) in checks)
                (exists.Result ? alive : dead).Add(node);
            (_alive, _dead) = (alive, dead);
        }
    }

    // ---- signals

    /// <inheritdoc />
    public async ValueTask SendAsync(ClusterSignal signal, CancellationToken cancellationToken = default)
    {
        var database = _database;
        var subscriber = _subscriber;
        if (database is null || subscriber is null || _stopped)
            return;
        var payload = JsonSerializer.SerializeToUtf8Bytes(new SignalEnvelope(NodeId, signal), ClusterJsonContext.Default.SignalEnvelope);
        try
        {
            if (signal.Kind == ClusterSignal.Notice)
            {
                await subscriber.PublishAsync(_keys.Notices, payload).WaitAsync(cancellationToken);
                return;
            }
            var holders = await database.HashKeysAsync(_keys.Presence(signal.UserId)).WaitAsync(cancellationToken);
            var nodes = holders.Select(h => (string)h!).Where(n => n != NodeId).ToList();
            if (nodes.Count == 0)
                return;
            await LearnNodesAsync(database, nodes, cancellationToken);
            HashSet<string> dead;
            lock (_lock)
                dead = _dead;
            var sends = new List<Task>(nodes.Count);
            foreach (var node in nodes)
            {
                if (!dead.Contains(node))
                    sends.Add(subscriber.PublishAsync(_keys.Signals(node), payload));
            }
            await Task.WhenAll(sends).WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Log.SignalDropped(_logger, signal.Kind, ex.Message);
        }
    }

    private void EnsureSignalSubscriptions()
    {
        if (_ownSignals is not null)
            return;
        // Ordered queues: signals about one user are handled in the order they were sent.
        // Fire-and-forget: while Redis is down they stay registered and are sent on reconnection.
        _ownSignals = _subscriber!.Subscribe(_keys.Signals(NodeId), CommandFlags.FireAndForget);
        _notices = _subscriber.Subscribe(_keys.Notices, CommandFlags.FireAndForget);
        lock (_readers)
        {
            _readers.Add(ReadSignalsAsync(_ownSignals, _stopping.Token));
            _readers.Add(ReadSignalsAsync(_notices, _stopping.Token));
        }
    }

    private async Task ReadSignalsAsync(ChannelMessageQueue queue, CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                ChannelMessage message;
                try
                {
                    message = await queue.ReadAsync(stopping);
                }
                catch (ChannelClosedException)
                {
                    return;
                }
                SignalEnvelope? envelope;
                try
                {
                    envelope = JsonSerializer.Deserialize((byte[]?)message.Message, ClusterJsonContext.Default.SignalEnvelope);
                }
                catch (JsonException)
                {
                    envelope = null;
                }
                if (envelope?.Signal is null)
                {
                    Log.MalformedSignal(_logger, message.Channel.ToString());
                    continue;
                }
                if (envelope.Origin == NodeId)
                    continue;
                try
                {
                    SignalReceived?.Invoke(envelope.Signal);
                }
                catch (Exception ex)
                {
                    Log.HandlerFailed(_logger, envelope.Signal.Kind, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    // ---- heartbeat, rewrite, reap

    private async Task HeartbeatLoopAsync(CancellationToken stopping)
    {
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(_options.HeartbeatInterval, _time, stopping);
                await BeatAsync(stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task BeatAsync(CancellationToken cancellationToken)
    {
        var database = _database!;
        try
        {
            EnsureSignalSubscriptions();
            var present = await database.KeyExpireAsync(_keys.Node(NodeId), _options.NodeTtl).WaitAsync(cancellationToken);
            if (!present || _dirty)
                await RewriteAsync(database, logIt: !present, cancellationToken);
            await RefreshNodesAsync(database, cancellationToken);
            Interlocked.Increment(ref _heartbeats);
        }
        catch (Exception ex) when (IsRedisFailure(ex) || ex is TimeoutException)
        {
            _dirty = true;
            Log.HeartbeatFailed(_logger, NodeId, ex.Message);
        }
    }

    /// <summary>Makes Redis hold exactly this node's mirror: after a restart, an outage or a reap.</summary>
    private async Task RewriteAsync(IDatabase database, bool logIt, CancellationToken cancellationToken)
    {
        _dirty = false;
        await database.StringSetAsync(_keys.Node(NodeId), _nodeValue, _options.NodeTtl).WaitAsync(cancellationToken);
        await database.SetAddAsync(_keys.Nodes, NodeId).WaitAsync(cancellationToken);
        var held = await database.SetMembersAsync(_keys.NodeUsers(NodeId)).WaitAsync(cancellationToken);
        var writes = new List<Task>();
        int count;
        lock (_lock)
        {
            var batch = database.CreateBatch();
            foreach (var user in held)
            {
                var userId = (string)user!;
                if (!_mirror.ContainsKey(userId))
                {
                    writes.Add(batch.HashDeleteAsync(_keys.Presence(userId), NodeId));
                    writes.Add(batch.SetRemoveAsync(_keys.NodeUsers(NodeId), userId));
                }
            }
            foreach (var (userId, status) in _mirror)
            {
                writes.Add(batch.HashSetAsync(_keys.Presence(userId), NodeId, (int)status));
                writes.Add(batch.SetAddAsync(_keys.NodeUsers(NodeId), userId));
            }
            count = _mirror.Count;
            batch.Execute();
        }
        await Task.WhenAll(writes).WaitAsync(cancellationToken);
        if (logIt)
            Log.Rewrote(_logger, NodeId, count);
    }

    private async Task RefreshNodesAsync(IDatabase database, CancellationToken cancellationToken)
    {
        var members = await database.SetMembersAsync(_keys.Nodes).WaitAsync(cancellationToken);
        var batch = database.CreateBatch();
        var checks = new List<(string Node, Task<bool> Exists)>(members.Length);
        foreach (var member in members)
        {
            var node = (string)member!;
            if (node != NodeId)
                checks.Add((node, batch.KeyExistsAsync(_keys.Node(node))));
        }
        batch.Execute();
        await Task.WhenAll(checks.Select(c => c.Exists)).WaitAsync(cancellationToken);
        var alive = new HashSet<string>(StringComparer.Ordinal) { NodeId };
        var dead = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (node, exists) in checks)
            (exists.Result ? alive : dead).Add(node);
        lock (_lock)
            (_alive, _dead) = (alive, dead);
        foreach (var node in dead)
            await ReapAsync(database, node, cancellationToken);
    }

    private async Task ReapAsync(IDatabase database, string node, CancellationToken cancellationToken)
    {
        // One survivor only: the lock outlives any reap, and the script makes a second one a no-op anyway.
        if (!await database.StringSetAsync(_keys.Reap(node), NodeId, _options.NodeTtl, When.NotExists).WaitAsync(cancellationToken))
            return;
        var result = await database.ScriptEvaluateAsync(
            ReapScript,
            [_keys.Node(node), _keys.NodeUsers(node), _keys.Nodes],
            [node, _keys.PresencePrefix]).WaitAsync(cancellationToken);
        if (result.IsNull)
            return; // it came back
        var users = ((RedisValue[]?)result ?? []).Select(u => (string)u!).ToArray();
        Log.Reaped(_logger, node, users.Length);
        var handlers = UsersLost;
        if (handlers is null || users.Length == 0)
            return;
        foreach (var handler in handlers.GetInvocationList().Cast<Func<IReadOnlyList<string>, Task>>())
        {
            try
            {
                await handler(users);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.HandlerFailed(_logger, "users-lost", ex);
            }
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => _dirty = true;

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or ObjectDisposedException or InvalidOperationException;

    /// <summary>
    /// Stops as a crashed node would: no more heartbeats or signals, and nothing cleaned up, so the
    /// entries stay until the node key expires and a survivor reaps them (tests of lost nodes).
    /// </summary>
    internal async Task CrashAsync()
    {
        _stopped = true;
        await StopAsync();
    }

    private async Task StopAsync()
    {
        await _stopping.CancelAsync();
        if (_heartbeat is not null)
            await _heartbeat;
        foreach (var queue in new[] { _ownSignals, _notices })
        {
            try
            {
                queue?.Unsubscribe(CommandFlags.FireAndForget);
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                Log.WriteFailed(_logger, ex.Message);
            }
        }
        Task[] readers;
        lock (_readers)
            readers = [.. _readers];
        await Task.WhenAll(readers);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        var crashed = _stopped;
        _stopped = true;
        if (!crashed)
        {
            await StopAsync();
            // Leaving: survivors reap this node at their next heartbeat and tell its users' friends.
            if (_database is not null)
            {
                try
                {
                    await _database.KeyDeleteAsync(_keys.Node(NodeId)).WaitAsync(TimeSpan.FromSeconds(2));
                }
                catch (Exception ex) when (IsRedisFailure(ex) || ex is TimeoutException)
                {
                    Log.WriteFailed(_logger, ex.Message);
                }
            }
        }
        if (_ownsConnection)
            await _connection.DisposeAsync();
        _stopping.Dispose();
    }
}
