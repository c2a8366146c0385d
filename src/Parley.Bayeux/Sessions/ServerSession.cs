using System.Collections.Concurrent;
using System.Text.Json;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.Sessions;

/// <summary>
/// One handshaken client. Holds its subscriptions, a bounded queue of deliveries, the held
/// connect (if any) and the push connection (WebSocket, EventSource) when there is one.
/// </summary>
public sealed class ServerSession
{
    private readonly BayeuxServer _server;
    private readonly Lock _gate = new();
    private Queue<EncodedMessage>? _queue;
    private HashSet<string>? _subscriptions;
    private ConcurrentDictionary<string, object?>? _items;
    private HeldConnect? _held;
    private IPushTarget? _push;
    private TokenBucket _publishBucket;
    private long _connectCycle;
    private long _expiresAt;
    private bool _removed;
    private bool _kicked;
    private string _transport;

    internal ServerSession(BayeuxServer server, string id, string transport, long now)
    {
        _server = server;
        Id = id;
        _transport = transport;
        var options = server.Options;
        _publishBucket = new TokenBucket(options.PublishRatePerSecond, options.PublishBurst, now);
        _expiresAt = now + server.ToTimestampDelta(options.MaxInterval);
    }

    /// <summary>The clientId.</summary>
    public string Id { get; }

    /// <summary>The identity the handshake authenticator gave this session, if any.</summary>
    public string? UserId { get; internal set; }

    /// <summary>The connection type of the last connect (e.g. <c>websocket</c>).</summary>
    public string Transport
    {
        get { lock (_gate) return _transport; }
    }

    /// <summary>False once the session has been removed.</summary>
    public bool IsActive
    {
        get { lock (_gate) return !_removed; }
    }

    /// <summary>Application state attached to the session.</summary>
    public ConcurrentDictionary<string, object?> Items =>
        _items ?? Interlocked.CompareExchange(ref _items, new ConcurrentDictionary<string, object?>(StringComparer.Ordinal), null) ?? _items;

    /// <summary>The channels and patterns this session is subscribed to.</summary>
    public IReadOnlyCollection<string> Subscriptions
    {
        get { lock (_gate) return _subscriptions is null ? [] : [.. _subscriptions]; }
    }

    /// <summary>Messages waiting to be sent.</summary>
    public int QueueLength
    {
        get { lock (_gate) return _queue?.Count ?? 0; }
    }

    /// <summary>Sends one message to this session only.</summary>
    public void Deliver(string channel, JsonElement data) => Deliver(BayeuxCodec.EncodeDelivery(channel, data));

    /// <summary>Sends one already-encoded message to this session only.</summary>
    public void Deliver(EncodedMessage message)
    {
        if (!_server.Enqueue(this, message))
            _server.RemoveSession(this, SessionRemovalReason.QueueOverflow);
    }

    /// <summary>
    /// The <c>BAYEUX_BROWSER</c> cookie of the request that created the session, on any transport:
    /// which browser (device) it runs in. Null for clients without cookies.
    /// </summary>
    public string? Browser { get; internal set; }

    /// <summary>The browser cookie this session is bound to (anti-hijack); HTTP transports only.</summary>
    internal string? BrowserId { get; set; }

    internal AckState? Ack { get; set; }

    internal void EnableAck()
    {
        lock (_gate) Ack ??= new AckState();
    }

    internal void Acknowledge(long batch)
    {
        lock (_gate) Ack?.Acknowledge(batch);
    }

    internal bool IsKicked
    {
        get { lock (_gate) return _kicked; }
    }

    internal long ConnectCycle
    {
        get { lock (_gate) return _connectCycle; }
    }

    internal bool IsHeld
    {
        get { lock (_gate) return _held is not null; }
    }

    internal long ExpiresAt
    {
        get { lock (_gate) return _expiresAt; }
    }

    /// <summary>Set while the sweeper has an entry for this session (at most one).</summary>
    internal bool SweepScheduled { get; set; }

    internal bool TryTakePublishToken(long now, long frequency)
    {
        lock (_gate) return _publishBucket.TryTake(now, frequency);
    }

    internal bool AddSubscription(string channel)
    {
        lock (_gate) return !_removed && (_subscriptions ??= new HashSet<string>(StringComparer.Ordinal)).Add(channel);
    }

    internal bool RemoveSubscription(string channel)
    {
        lock (_gate) return _subscriptions?.Remove(channel) == true;
    }

    /// <summary>Any message from the client keeps the session alive for at least maxInterval.</summary>
    internal void Touch(long notBefore)
    {
        lock (_gate)
        {
            if (_expiresAt < notBefore)
                _expiresAt = notBefore;
        }
    }

    internal enum EnqueueOutcome { Queued, DroppedOldest, Overflow, Removed }

    internal EnqueueOutcome Enqueue(EncodedMessage message, int maxQueue, QueueOverflowPolicy policy)
    {
        HeldConnect? held;
        IPushTarget? push;
        var outcome = EnqueueOutcome.Queued;
        lock (_gate)
        {
            if (_removed)
                return EnqueueOutcome.Removed;
            _queue ??= new Queue<EncodedMessage>();
            if (_queue.Count >= maxQueue)
            {
                if (policy == QueueOverflowPolicy.Disconnect)
                    return EnqueueOutcome.Overflow;
                _queue.Dequeue();
                outcome = EnqueueOutcome.DroppedOldest;
            }
            _queue.Enqueue(message);
            // With the ack extension every delivery goes through /meta/connect (total order).
            push = Ack is null ? _push : null;
            held = push is null ? _held : null;
        }
        push?.Wake();
        held?.Wake(ConnectWake.Messages);
        return outcome;
    }

    /// <summary>Starts a connect cycle; the previous held connect (if any) is returned to be superseded.</summary>
    internal HeldConnect BeginConnect(string transport, out HeldConnect? superseded)
    {
        lock (_gate)
        {
            _transport = transport;
            superseded = _held;
            _held = new HeldConnect(this, ++_connectCycle);
            return _held;
        }
    }

    /// <summary>True when a connect reply sent now would carry messages.</summary>
    internal bool HasMessagesForConnect()
    {
        lock (_gate) return (_queue?.Count ?? 0) > 0 || Ack?.Unacknowledged > 0;
    }

    /// <summary>
    /// Ends a connect cycle once its reply is written. Only the current cycle moves the expiry,
    /// so a stale completion never shortens the life of a newer connect.
    /// </summary>
    internal bool EndConnect(HeldConnect connect, long expiresAt)
    {
        connect.Dispose();
        lock (_gate)
        {
            if (!ReferenceEquals(_held, connect))
                return false;
            _held = null;
            _expiresAt = expiresAt;
            return true;
        }
    }

    /// <summary>Dequeues everything for a connect reply; with acks, returns the batch number for <c>ext.ack</c>.</summary>
    internal long? DrainForConnect(List<EncodedMessage> into)
    {
        lock (_gate)
        {
            if (Ack is not null)
                return Ack.TakeBatch(_queue, into, _server.Options.MaxQueue);
            DrainLocked(into);
            return null;
        }
    }

    /// <summary>Dequeues everything for a push write; nothing when acks require delivery by connect.</summary>
    internal void DrainForPush(List<EncodedMessage> into)
    {
        lock (_gate)
        {
            if (Ack is null)
                DrainLocked(into);
        }
    }

    private void DrainLocked(List<EncodedMessage> into)
    {
        if (_queue is null)
            return;
        while (_queue.TryDequeue(out var message))
            into.Add(message);
    }

    internal void AttachPush(IPushTarget target)
    {
        bool pending;
        lock (_gate)
        {
            _push = target;
            pending = (_queue?.Count ?? 0) > 0;
        }
        if (pending)
            target.Wake();
    }

    internal void DetachPush(IPushTarget target)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_push, target))
                _push = null;
        }
    }

    internal void Kick()
    {
        HeldConnect? held;
        IPushTarget? push;
        lock (_gate)
        {
            if (_removed)
                return;
            _kicked = true;
            held = _held;
            push = _push;
        }
        held?.Wake(ConnectWake.Kicked);
        push?.Wake();
    }

    /// <summary>True when the sweeper may expire the session now.</summary>
    internal bool IsExpired(long now)
    {
        lock (_gate) return !_removed && _held is null && _expiresAt <= now;
    }

    /// <summary>Marks the session removed; returns what must be woken or closed, once.</summary>
    internal bool MarkRemoved(out HeldConnect? held, out IPushTarget? push, out string[] subscriptions, out int queued)
    {
        lock (_gate)
        {
            held = _held;
            push = _push;
            subscriptions = [];
            queued = 0;
            if (_removed)
                return false;
            _removed = true;
            _push = null;
            queued = _queue?.Count ?? 0;
            _queue = null;
            if (_subscriptions is not null)
            {
                subscriptions = [.. _subscriptions];
                _subscriptions = null;
            }
            return true;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Id;
}
