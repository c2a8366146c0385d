using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Bayeux.Backplane;
using Parley.Bayeux.Channels;
using Parley.Bayeux.Messages;
using StackExchange.Redis;

namespace Parley.Backplane.Redis;

/// <summary>
/// Carries broadcasts between nodes over Redis pub/sub, to the nodes that have a matching
/// subscription only: one Redis channel per Bayeux channel (<c>{prefix}ch:{channel}</c>), a
/// PSUBSCRIBE per Bayeux pattern.
/// </summary>
/// <remarks>
/// <para>
/// <b>Receiving in order.</b> StackExchange.Redis runs handler-based subscriptions on the thread pool,
/// one work item per message: no order at all. A <see cref="ChannelMessageQueue"/> is written on the
/// socket reader, so each queue holds its subscription's messages in arrival order — but a node with
/// <c>/a/b</c> and <c>/a/*</c> has two queues, read by two loops, and Redis sends it the broadcast
/// twice. So every concrete channel has one owner: the oldest subscription matching it. Subscribes and
/// unsubscribes go out one at a time, each awaited, so an older subscription took effect first and
/// receives whatever a younger one receives. Only the owner delivers; a younger subscription keeps its
/// copy until the owner has handled it (a channel's subscribers are written before the patterns', so
/// an owner unsubscribed in between never gets it). While an owner is being unsubscribed the others
/// wait for its queue to be read to the end, then the next owner delivers its kept copies the former
/// one never handled, and goes on. Each broadcast carries its sender's process instance and sequence
/// number, and a window of recent ones drops repeats. Deliveries go through one inbox read by one loop,
/// so the engine sees them one at a time, each sender's broadcasts on a channel in publish order.
/// </para>
/// <para>
/// <b>Outage.</b> Publishing while Redis is unreachable drops the broadcast at once; subscribing
/// answers at once and is done after reconnection. When the connection comes back every subscription
/// is made sure of, then <see cref="Restored"/> is raised and a control message makes every other node
/// raise it too: broadcasts were lost both ways.
/// </para>
/// </remarks>
internal sealed partial class RedisBackplane : IBackplane
{
    private static readonly TimeSpan MonitorInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ForgetOriginsAfter = TimeSpan.FromMinutes(10);

    private readonly RedisConnection _connection;
    private readonly bool _ownsConnection;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly RedisKeys _keys;
    private readonly byte[] _nodeIdUtf8;
    private readonly long _instance = NewInstance();
    private long _sequence;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, InterestHandle> _interests = new(StringComparer.Ordinal);
    private readonly ChannelPatternMap<InterestHandle> _handles = new();
    private readonly ChannelPatternMap<string> _live = new();
    private readonly List<InterestHandle[]> _matches = new(4);
    private readonly Dictionary<long, OriginWindow> _origins = [];
    private long _nextOrdinal;

    private readonly Channel<BackplaneMessage> _inbox = Channel.CreateUnbounded<BackplaneMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<Operation> _operations = Channel.CreateUnbounded<Operation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _loops = [];
    private ConnectionMultiplexer? _multiplexer;
    private ISubscriber? _subscriber;
    private ChannelMessageQueue? _control;
    private volatile bool _online;
    private bool _missedBroadcasts;
    private int _disposed;

    public RedisBackplane(RedisConnection connection, ILogger<RedisBackplane>? logger = null, TimeProvider? time = null, bool ownsConnection = false)
    {
        _connection = connection;
        _ownsConnection = ownsConnection;
        _logger = logger ?? NullLogger<RedisBackplane>.Instance;
        _time = time ?? TimeProvider.System;
        _keys = connection.Keys;
        NodeId = connection.Options.NodeId;
        _nodeIdUtf8 = Encoding.UTF8.GetBytes(NodeId);
    }

    /// <inheritdoc />
    public string NodeId { get; }

    /// <inheritdoc />
    public bool IsConnected => _online;

    /// <inheritdoc />
    public event Action? Restored;

    /// <summary>Broadcasts dropped because Redis was unreachable (diagnostics and tests).</summary>
    internal long DroppedPublishes => Interlocked.Read(ref _dropped);

    private long _dropped;

    /// <inheritdoc />
    public async ValueTask StartAsync(Func<BackplaneMessage, ValueTask> onMessage, CancellationToken cancellationToken)
    {
        if (_multiplexer is not null)
            throw new InvalidOperationException("The backplane is already started.");
        _multiplexer = await _connection.GetAsync().WaitAsync(cancellationToken);
        _subscriber = _multiplexer.GetSubscriber();
        _multiplexer.ConnectionFailed += OnConnectionFailed;
        Track(DeliverAsync(onMessage, _stopping.Token));
        Track(OperateAsync(_stopping.Token));
        if (IsTransportUp() && await EnsureSubscribedAsync(cancellationToken))
            _online = true;
        else
            _missedBroadcasts = true;
        Track(MonitorAsync(_stopping.Token));
    }

    /// <inheritdoc />
    public ValueTask PublishAsync(EncodedMessage message, CancellationToken cancellationToken)
    {
        var subscriber = _subscriber;
        if (!_online || subscriber is null)
        {
            Interlocked.Increment(ref _dropped);
            Log.PublishDropped(_logger, message.Channel);
            return ValueTask.CompletedTask;
        }
        var frame = BackplaneFrame.Encode(BackplaneFrame.KindBroadcast, _instance, Interlocked.Increment(ref _sequence), _nodeIdUtf8, message.Channel, message.Utf8Json.Span);
        try
        {
            // Fire-and-forget: written in call order, never waits for Redis; a broken connection drops it.
            _ = subscriber.PublishAsync(_keys.Broadcast(message.Channel), frame, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Log.PublishFailed(_logger, message.Channel, ex.Message);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask AddInterestAsync(string channel, CancellationToken cancellationToken)
    {
        InterestHandle handle;
        lock (_gate)
        {
            if (!_interests.TryGetValue(channel, out handle!))
            {
                handle = new InterestHandle(channel, _keys.Interest(channel));
                _interests[channel] = handle;
                _handles.Add(channel, handle);
                _live.Add(channel, channel);
                _operations.Writer.TryWrite(new Operation(OperationKind.Subscribe, handle));
            }
            handle.References++;
        }
        if (!_online || handle.Subscribed.Task.IsCompleted)
            return ValueTask.CompletedTask;
        return new ValueTask(handle.Subscribed.Task.WaitAsync(cancellationToken));
    }

    /// <inheritdoc />
    public void RemoveInterest(string channel)
    {
        lock (_gate)
        {
            if (!_interests.TryGetValue(channel, out var handle))
                return;
            if (--handle.References > 0)
                return;
            _interests.Remove(channel);
            _live.Remove(channel, channel);
            handle.Removing = true;
            _operations.Writer.TryWrite(new Operation(OperationKind.Unsubscribe, handle));
        }
    }

    // ---- subscriptions: one loop sends every (un)subscribe and waits for Redis's answer before the
    // next, so ordinals are the order in which subscriptions took effect at Redis.

    private async Task OperateAsync(CancellationToken stopping)
    {
        var reader = _operations.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping))
            {
                while (reader.TryRead(out var operation))
                {
                    switch (operation.Kind)
                    {
                        case OperationKind.Subscribe:
                            await SubscribeAsync(operation.Handle!);
                            break;
                        case OperationKind.Unsubscribe:
                            await UnsubscribeAsync(operation.Handle!);
                            break;
                        case OperationKind.EnsureAll:
                            operation.Done!.TrySetResult(await EnsureAllAsync());
                            break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>Subscribes and waits for Redis to confirm; while Redis is unreachable, defers it.</summary>
    private async Task SubscribeAsync(InterestHandle handle)
    {
        lock (_gate)
        {
            if (handle.Removing)
            {
                // Ended before it was sent: nothing to undo at Redis.
                FinishLocked(handle);
                return;
            }
        }
        try
        {
            if (!IsTransportUp())
                return; // AddInterestAsync completes at once; the pass after reconnection subscribes it
            // The queue is registered before the SUBSCRIBE is written and returned once Redis answered.
            var queue = await _subscriber!.SubscribeAsync(handle.RedisChannel);
            lock (_gate)
            {
                handle.Queue = queue;
                handle.Ordinal = ++_nextOrdinal;
            }
            Track(ReadAsync(handle, queue, _stopping.Token));
        }
        catch (Exception ex) when (IsRedisFailure(ex) || ex is TimeoutException)
        {
            // Left deferred: the pass after reconnection subscribes it again.
            Log.SubscribeFailed(_logger, handle.Interest, ex.Message);
            LoseConnection();
        }
        finally
        {
            handle.Subscribed.TrySetResult();
        }
    }

    private async Task UnsubscribeAsync(InterestHandle handle)
    {
        ChannelMessageQueue? queue;
        lock (_gate)
        {
            queue = handle.Queue;
            if (queue is null)
            {
                FinishLocked(handle);
                return;
            }
            // Before the queue is detached: a younger subscription that sees this flag waits for the
            // queue's end; one that does not see it yet is sure the queue got what it got.
            handle.Detached = true;
        }
        try
        {
            // Detaches the queue at once (nothing more is written to it), waits for the UNSUBSCRIBE
            // (sent only if no other queue shares the Redis channel) and completes the queue.
            await queue.UnsubscribeAsync();
        }
        catch (Exception ex) when (IsRedisFailure(ex) || ex is TimeoutException)
        {
            Log.UnsubscribeFailed(_logger, handle.Interest, ex.Message);
        }
        finally
        {
            // Whatever became of the command, the queue is detached: its reader takes what is left and ends.
            await handle.Drained.CancelAsync();
        }
    }

    /// <summary>
    /// After a reconnection: subscribes what was deferred and re-asserts every other subscription
    /// (StackExchange.Redis resubscribes by itself; a SUBSCRIBE is sent only where it did not).
    /// </summary>
    private async Task<bool> EnsureAllAsync()
    {
        if (!IsTransportUp())
            return false;
        try
        {
            if (_control is null)
            {
                _control = await _subscriber!.SubscribeAsync(_keys.Control);
                Track(ReadControlAsync(_control, _stopping.Token));
            }
            else
            {
                await TouchAsync(_keys.Control);
            }
            InterestHandle[] handles;
            lock (_gate)
                handles = [.. _interests.Values];
            foreach (var handle in handles)
            {
                bool deferred;
                lock (_gate)
                    deferred = handle.Queue is null && !handle.Removing;
                if (deferred)
                    await SubscribeAsync(handle);
                else
                    await TouchAsync(handle.RedisChannel);
            }
            return IsTransportUp();
        }
        catch (Exception ex) when (IsRedisFailure(ex) || ex is TimeoutException)
        {
            Log.SubscribeFailed(_logger, "(all)", ex.Message);
            return false;
        }
    }

    // A second queue on a subscription the client holds sends nothing; where the client lost it, this
    // SUBSCRIBE restores it. Removing the second queue again sends nothing while the first remains.
    private async Task TouchAsync(RedisChannel channel)
    {
        var extra = await _subscriber!.SubscribeAsync(channel);
        await extra.UnsubscribeAsync();
    }

    private async Task<bool> EnsureSubscribedAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _operations.Writer.TryWrite(new Operation(OperationKind.EnsureAll, null, done));
        return await done.Task.WaitAsync(cancellationToken);
    }

    // ---- receiving

    private async Task ReadAsync(InterestHandle handle, ChannelMessageQueue queue, CancellationToken stopping)
    {
        try
        {
            while (true)
            {
                if (!queue.TryRead(out var message))
                {
                    if (handle.Drained.IsCancellationRequested)
                        break; // detached, and nothing left
                    try
                    {
                        message = await queue.ReadAsync(handle.Drained.Token).AsTask().WaitAsync(stopping);
                    }
                    catch (ChannelClosedException)
                    {
                        break;
                    }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                    {
                        continue; // detached: read what is left
                    }
                }
                await ReceiveAsync(handle, message, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_gate)
                FinishLocked(handle);
        }
    }

    private async Task ReceiveAsync(InterestHandle handle, ChannelMessage message, CancellationToken stopping)
    {
        if (!BackplaneFrame.TryDecode((byte[]?)message.Message, out var frame) || frame.Kind != BackplaneFrame.KindBroadcast)
        {
            Log.Malformed(_logger, message.Channel.ToString());
            return;
        }
        if (frame.Instance == _instance || !ChannelName.Matches(handle.Interest, frame.Channel))
            return; // our own, or the glob matched deeper than the Bayeux pattern
        while (true)
        {
            InterestHandle? previous;
            lock (_gate)
            {
                var owner = OwnerLocked(frame.Channel);
                if (owner is null || owner == handle)
                {
                    FlushHeldLocked(handle);
                    DeliverLocked(frame);
                    return;
                }
                if (!owner.Detached)
                {
                    // The owner gets this broadcast too and delivers it — unless it is unsubscribed
                    // between Redis writing our copy and its own (a channel's subscribers come before
                    // the patterns'): kept until the owner has handled it.
                    PruneHeldLocked(handle);
                    handle.Held.Enqueue(frame);
                    return;
                }
                previous = owner;
            }
            // The owner is being unsubscribed: what it still holds comes first.
            await previous.Finished.Task.WaitAsync(stopping);
        }
    }

    private InterestHandle? OwnerLocked(string channel)
    {
        _handles.Match(channel, _matches);
        InterestHandle? owner = null;
        foreach (var handles in _matches)
        {
            foreach (var candidate in handles)
            {
                if (candidate.Queue is not null && (owner is null || candidate.Ordinal < owner.Ordinal))
                    owner = candidate;
            }
        }
        _matches.Clear();
        return owner;
    }

    private void DeliverLocked(BackplaneFrame frame)
    {
        var now = _time.GetTimestamp();
        if (!_origins.TryGetValue(frame.Instance, out var origin))
        {
            origin = new OriginWindow(Encoding.UTF8.GetString(frame.OriginUtf8.Span), now);
            _origins[frame.Instance] = origin;
        }
        // Recorded even when no local subscriber is left, so copies kept elsewhere know it was handled.
        if (origin.TryAdd(frame.Sequence, now) && _live.AnyMatch(frame.Channel))
            _inbox.Writer.TryWrite(new BackplaneMessage(origin.NodeId, frame.Channel, frame.Payload));
    }

    private bool IsHandledLocked(in BackplaneFrame frame) =>
        _origins.TryGetValue(frame.Instance, out var origin) && origin.Contains(frame.Sequence);

    // Forgets kept copies that their owner has handled; the owner handles them in order, so from the front.
    private void PruneHeldLocked(InterestHandle handle)
    {
        var held = handle.Held;
        while (held.Count > 0 && IsHandledLocked(held.Peek()))
            held.Dequeue();
    }

    // This subscription now owns some channel: kept copies the former owner never got are delivered
    // first, in the order they arrived; copies for channels still owned elsewhere stay.
    private void FlushHeldLocked(InterestHandle handle)
    {
        var held = handle.Held;
        for (var remaining = held.Count; remaining > 0; remaining--)
        {
            var frame = held.Dequeue();
            if (IsHandledLocked(frame))
                continue;
            var owner = OwnerLocked(frame.Channel);
            if (owner is null || owner == handle)
                DeliverLocked(frame);
            else
                held.Enqueue(frame);
        }
    }

    private void FinishLocked(InterestHandle handle)
    {
        _handles.Remove(handle.Interest, handle);
        handle.Detached = true;
        handle.Subscribed.TrySetResult();
        handle.Finished.TrySetResult();
    }

    private async Task DeliverAsync(Func<BackplaneMessage, ValueTask> onMessage, CancellationToken stopping)
    {
        try
        {
            await foreach (var message in _inbox.Reader.ReadAllAsync(stopping))
            {
                try
                {
                    await onMessage(message);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.HandlerFailed(_logger, message.Channel, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task ReadControlAsync(ChannelMessageQueue queue, CancellationToken stopping)
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
                    break;
                }
                if (BackplaneFrame.TryDecode((byte[]?)message.Message, out var frame)
                    && frame.Kind == BackplaneFrame.KindRestored && frame.Instance != _instance)
                {
                    Log.PeerRestored(_logger, Encoding.UTF8.GetString(frame.OriginUtf8.Span));
                    RaiseRestored();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    // ---- connection state

    // The subscription connection opens on first use, so before the control channel is subscribed
    // only the interactive one can be asked; the subscription pass answers for the rest.
    private bool IsTransportUp()
    {
        var multiplexer = _multiplexer;
        var subscriber = _subscriber;
        if (multiplexer is null || subscriber is null || !multiplexer.IsConnected)
            return false;
        return _control is null || subscriber.IsConnected(_keys.Control);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => LoseConnection();

    private void LoseConnection()
    {
        if (!_online)
            return;
        _online = false;
        _missedBroadcasts = true;
        Log.Disconnected(_logger, NodeId);
    }

    private async Task MonitorAsync(CancellationToken stopping)
    {
        try
        {
            var lastPrune = _time.GetTimestamp();
            while (!stopping.IsCancellationRequested)
            {
                await Task.Delay(MonitorInterval, _time, stopping);
                var up = IsTransportUp();
                if (_online && !up)
                {
                    LoseConnection();
                }
                else if (!_online && up && await EnsureSubscribedAsync(stopping) && IsTransportUp())
                {
                    _online = true;
                    if (_missedBroadcasts)
                    {
                        _missedBroadcasts = false;
                        Log.Restored(_logger, NodeId);
                        RaiseRestored();
                        AnnounceRestored();
                    }
                }
                if (_time.GetElapsedTime(lastPrune) > ForgetOriginsAfter)
                {
                    lastPrune = _time.GetTimestamp();
                    PruneOrigins();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private void AnnounceRestored()
    {
        var frame = BackplaneFrame.Encode(BackplaneFrame.KindRestored, _instance, Interlocked.Increment(ref _sequence), _nodeIdUtf8, "", []);
        try
        {
            _ = _subscriber!.PublishAsync(_keys.Control, frame, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (IsRedisFailure(ex))
        {
            Log.PublishFailed(_logger, "(control)", ex.Message);
        }
    }

    private void RaiseRestored()
    {
        try
        {
            Restored?.Invoke();
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, "(restored)", ex);
        }
    }

    private void PruneOrigins()
    {
        lock (_gate)
        {
            var stale = new List<long>();
            foreach (var (instance, window) in _origins)
            {
                if (_time.GetElapsedTime(window.LastSeen) > ForgetOriginsAfter)
                    stale.Add(instance);
            }
            foreach (var instance in stale)
                _origins.Remove(instance);
        }
    }

    // Every loop and queue reader, so disposal can wait for them; a finished one removes itself.
    private void Track(Task task)
    {
        lock (_gate)
            _loops.Add(task);
        _ = task.ContinueWith(
            (finished, state) =>
            {
                var self = (RedisBackplane)state!;
                lock (self._gate)
                    self._loops.Remove(finished);
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static bool IsRedisFailure(Exception ex) => ex is RedisException or ObjectDisposedException or InvalidOperationException;

    private static long NewInstance()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return BitConverter.ToInt64(bytes) | 1;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _online = false;
        if (_multiplexer is not null)
            _multiplexer.ConnectionFailed -= OnConnectionFailed;
        _operations.Writer.TryComplete();
        _inbox.Writer.TryComplete();
        await _stopping.CancelAsync();
        // The connection may outlive this backplane (it is shared): stop Redis sending here.
        List<ChannelMessageQueue> queues = [];
        lock (_gate)
        {
            foreach (var handle in _interests.Values)
            {
                if (handle.Queue is not null)
                    queues.Add(handle.Queue);
            }
        }
        if (_control is not null)
            queues.Add(_control);
        foreach (var queue in queues)
        {
            try
            {
                queue.Unsubscribe(CommandFlags.FireAndForget);
            }
            catch (Exception ex) when (IsRedisFailure(ex))
            {
                Log.UnsubscribeFailed(_logger, queue.Channel.ToString(), ex.Message);
            }
        }
        Task[] loops;
        lock (_gate)
            loops = [.. _loops];
        try
        {
            await Task.WhenAll(loops).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            Log.StopTimedOut(_logger);
        }
        if (_ownsConnection)
            await _connection.DisposeAsync();
        _stopping.Dispose();
    }

    private enum OperationKind
    {
        Subscribe,
        Unsubscribe,
        EnsureAll,
    }

    private readonly record struct Operation(OperationKind Kind, InterestHandle? Handle, TaskCompletionSource<bool>? Done = null);
}
