using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Bayeux.Backplane;
using Parley.Bayeux.Channels;
using Parley.Bayeux.Extensions;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Metrics;
using Parley.Bayeux.Security;
using Parley.Bayeux.Services;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Server;

/// <summary>
/// The Bayeux engine: sessions, subscriptions, meta channels, services, extensions and fan-out.
/// Transports hand it parsed messages and write back what it answers.
/// </summary>
public sealed partial class BayeuxServer : IAsyncDisposable
{
    /// <summary>Connection types this server offers.</summary>
    public static readonly string[] ConnectionTypes = ["websocket", "long-polling", "callback-polling", "eventsource", "cross-origin-long-polling"];

    private readonly ConcurrentDictionary<string, ServerSession> _sessions = new(StringComparer.Ordinal);
    private readonly ChannelPatternMap<ServerSession> _subscriptions = new();
    private readonly ChannelPatternMap<ServiceHandler> _services = new();
    private readonly ConcurrentDictionary<string, int> _browserPolls = new(StringComparer.Ordinal);
    private readonly SessionSweeper _sweeper;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IBackplane? _backplane;
    private IBayeuxExtension[] _extensions = [];
    private IHandshakeAuthenticator[] _authenticators = [];

    // Reused by fan-out on each thread; taken out of the slot while in use, so a listener that
    // publishes from inside a fan-out gets fresh ones instead of corrupting these.
    [ThreadStatic] private static List<ServerSession[]>? t_matches;
    [ThreadStatic] private static HashSet<ServerSession>? t_seen;
    private int _sessionSlots;

    /// <summary>Creates the engine. Call <see cref="StartAsync"/> to start the expiry sweep and the backplane.</summary>
    public BayeuxServer(BayeuxOptions options, TimeProvider? time = null, ILogger<BayeuxServer>? logger = null, IBackplane? backplane = null)
    {
        Options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<BayeuxServer>.Instance;
        _backplane = backplane;
        if (backplane is not null)
            backplane.Restored += () => Raise(BackplaneRestored);
        _sweeper = new SessionSweeper(this, _time);
        ChannelPolicy = new ChannelSecurityPolicy(options.OpenChannels);
        SecurityPolicy = ChannelPolicy;
        Metrics = new BayeuxMetrics(ComputeGauges);
        AddExtension(new AcknowledgeExtension());
        AddExtension(new TimesyncExtension(_time));
    }

    /// <summary>The options in force.</summary>
    public BayeuxOptions Options { get; }

    /// <summary>Counters and gauges.</summary>
    public BayeuxMetrics Metrics { get; }

    /// <summary>The default policy: open channels plus per-channel authorizers.</summary>
    public ChannelSecurityPolicy ChannelPolicy { get; }

    /// <summary>The policy consulted for every subscribe and publish; <see cref="ChannelPolicy"/> unless replaced.</summary>
    public ISecurityPolicy SecurityPolicy { get; set; }

    /// <summary>The backplane's node id, or "local" without one.</summary>
    public string NodeId => _backplane?.NodeId ?? "local";

    /// <summary>True without a backplane, or while the backplane's medium is reachable.</summary>
    public bool BackplaneConnected => _backplane?.IsConnected ?? true;

    /// <summary>Raised after a backplane outage ended: broadcasts sent meanwhile were lost, so sessions should resynchronize.</summary>
    public event Action? BackplaneRestored;

    /// <summary>Number of live sessions on this node.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Live sessions on this node.</summary>
    public IEnumerable<ServerSession> Sessions => _sessions.Values;

    /// <summary>Raised after a handshake creates a session.</summary>
    public event Action<ServerSession>? SessionAdded;

    /// <summary>Raised after a session is removed, with the reason.</summary>
    public event Action<ServerSession, SessionRemovalReason>? SessionRemoved;

    /// <summary>Raised after a session subscribes to a channel or pattern.</summary>
    public event Action<ServerSession, string>? Subscribed;

    /// <summary>Raised after a session unsubscribes (not when it is removed).</summary>
    public event Action<ServerSession, string>? Unsubscribed;

    /// <summary>Starts the expiry sweep and, when there is one, the backplane.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _sweeper.Start(TimeSpan.FromMilliseconds(Math.Max(10, Options.SweepInterval)));
        if (_backplane is not null)
            await _backplane.StartAsync(OnBackplaneMessageAsync, cancellationToken);
    }

    /// <summary>Finds a live session by clientId.</summary>
    public ServerSession? GetSession(string clientId) => _sessions.TryGetValue(clientId, out var session) ? session : null;

    /// <summary>Adds an extension at the end of the pipeline.</summary>
    public void AddExtension(IBayeuxExtension extension)
    {
        lock (_sessions)
            _extensions = [.. _extensions, extension];
    }

    /// <summary>Adds a handshake authenticator; the first that does not abstain decides.</summary>
    public void AddAuthenticator(IHandshakeAuthenticator authenticator)
    {
        lock (_sessions)
            _authenticators = [.. _authenticators, authenticator];
    }

    /// <summary>Registers an authorizer with the default policy for a channel name or pattern.</summary>
    public void AddAuthorizer(string pattern, IChannelAuthorizer authorizer) => ChannelPolicy.AddAuthorizer(pattern, authorizer);

    /// <summary>Handles publishes to a <c>/service/</c> channel or pattern.</summary>
    public void AddService(string channel, ServiceHandler handler)
    {
        if (!ChannelName.IsValid(channel) || !ChannelName.IsService(channel))
            throw new ArgumentException($"'{channel}' is not a /service/ channel.", nameof(channel));
        _services.Add(channel, handler);
    }

    /// <summary>Publishes to every subscriber of <paramref name="channel"/>, on this node and the others.</summary>
    public ValueTask PublishAsync(string channel, JsonElement data, CancellationToken cancellationToken = default)
    {
        if (!ChannelName.IsValidConcrete(channel) || ChannelName.IsMeta(channel) || ChannelName.IsService(channel))
            throw new ArgumentException($"Cannot broadcast to '{channel}'.", nameof(channel));
        return PublishAsync(BayeuxCodec.EncodeDelivery(channel, data), cancellationToken);
    }

    /// <summary>Publishes an encoded message to local subscribers and through the backplane.</summary>
    public ValueTask PublishAsync(EncodedMessage message, CancellationToken cancellationToken = default)
    {
        Metrics.Publish();
        FanOut(message);
        return _backplane is null ? ValueTask.CompletedTask : _backplane.PublishAsync(message, cancellationToken);
    }

    /// <summary>Ends a session's subscription from the server side (e.g. the user left a group); false when it had none.</summary>
    public bool Unsubscribe(ServerSession session, string channel)
    {
        if (!session.RemoveSubscription(channel))
            return false;
        RemoveFromIndex(channel, session);
        Raise(Unsubscribed, session, channel);
        return true;
    }

    /// <summary>Sends a message to one session only.</summary>
    public void Deliver(ServerSession session, string channel, JsonElement data) => session.Deliver(channel, data);

    /// <summary>
    /// Ends a session the way a kick should: deliveries already queued (such as a "kicked"
    /// event) still go out, and the connect reply carries <c>reconnect:"none"</c>.
    /// </summary>
    public void Kick(ServerSession session)
    {
        Log.Kicked(_logger, session.Id);
        // Nothing new reaches a kicked session; what is queued already (the kick notice) still goes.
        foreach (var channel in session.Subscriptions)
            Unsubscribe(session, channel);
        session.Kick();
    }

    /// <summary>Removes a session at once. Returns false if it was already gone.</summary>
    public bool RemoveSession(ServerSession session, SessionRemovalReason reason)
    {
        if (!session.MarkRemoved(out var held, out var push, out var subscriptions, out _))
            return false;
        if (_sessions.TryRemove(new KeyValuePair<string, ServerSession>(session.Id, session)))
            ReleaseSessionSlot();
        foreach (var channel in subscriptions)
            RemoveFromIndex(channel, session);
        held?.Wake(reason switch
        {
            SessionRemovalReason.Disconnected => ConnectWake.Disconnected,
            SessionRemovalReason.Kicked => ConnectWake.Kicked,
            _ => ConnectWake.Removed,
        });
        push?.Close();
        if (reason == SessionRemovalReason.Expired)
            Metrics.Expire();
        Log.SessionRemoved(_logger, session.Id, reason);
        Raise(SessionRemoved, session, reason);
        return true;
    }

    // The backplane hears about every subscription that ends, so it can stop listening for the last one.
    private void RemoveFromIndex(string channel, ServerSession session)
    {
        if (_subscriptions.Remove(channel, session))
            _backplane?.RemoveInterest(channel);
    }

    /// <summary>Delivers locally to every session subscribed to a matching name or pattern, once each.</summary>
    internal int FanOut(EncodedMessage message)
    {
        var matches = t_matches ?? new List<ServerSession[]>(4);
        t_matches = null;
        List<ServerSession>? overflowed = null;
        var count = 0;
        try
        {
            _subscriptions.Match(message.Channel, matches);
            if (matches.Count == 1)
            {
                foreach (var session in matches[0])
                {
                    if (Enqueue(session, message))
                        count++;
                    else
                        (overflowed ??= []).Add(session);
                }
            }
            else if (matches.Count > 1)
            {
                // Several patterns match: a session subscribed to more than one gets the message once.
                var seen = t_seen ?? [];
                t_seen = null;
                foreach (var group in matches)
                {
                    foreach (var session in group)
                    {
                        if (!seen.Add(session))
                            continue;
                        if (Enqueue(session, message))
                            count++;
                        else
                            (overflowed ??= []).Add(session);
                    }
                }
                seen.Clear();
                t_seen = seen;
            }
        }
        finally
        {
            matches.Clear();
            t_matches = matches;
        }
        Metrics.Delivered(count);
        // Removal raises listeners, which may publish: only once the fan-out is over.
        if (overflowed is not null)
        {
            foreach (var session in overflowed)
                RemoveSession(session, SessionRemovalReason.QueueOverflow);
        }
        return count;
    }

    /// <summary>Queues one message; false when the session must be removed for overflow.</summary>
    internal bool Enqueue(ServerSession session, EncodedMessage message)
    {
        switch (session.Enqueue(message, Options.MaxQueue, Options.QueueOverflow))
        {
            case ServerSession.EnqueueOutcome.DroppedOldest:
                Metrics.Drop();
                Log.QueueDropped(_logger, session.Id, Options.MaxQueue);
                return true;
            case ServerSession.EnqueueOutcome.Overflow:
                Metrics.Drop();
                Log.QueueOverflowDisconnect(_logger, session.Id, Options.MaxQueue);
                return false;
            default:
                return true;
        }
    }

    private bool TryReserveSessionSlot()
    {
        if (Interlocked.Increment(ref _sessionSlots) <= Options.MaxSessions)
            return true;
        Interlocked.Decrement(ref _sessionSlots);
        return false;
    }

    private void ReleaseSessionSlot() => Interlocked.Decrement(ref _sessionSlots);

    private ValueTask OnBackplaneMessageAsync(BackplaneMessage message)
    {
        Metrics.BackplaneIn();
        FanOut(new EncodedMessage(message.Channel, message.Utf8Json.ToArray()));
        return ValueTask.CompletedTask;
    }

    internal long ToTimestampDelta(long milliseconds) => milliseconds * _time.TimestampFrequency / 1000;

    internal long Now => _time.GetTimestamp();

    private static string NewSessionId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private GaugeSnapshot ComputeGauges()
    {
        long sessions = 0, held = 0, queued = 0;
        var byTransport = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var session in _sessions.Values)
        {
            sessions++;
            if (session.IsHeld)
                held++;
            queued += session.QueueLength;
            var transport = session.Transport;
            byTransport[transport] = byTransport.GetValueOrDefault(transport) + 1;
        }
        return new GaugeSnapshot(sessions, held, queued, byTransport);
    }

    private void Raise<T>(Action<ServerSession, T>? handler, ServerSession session, T argument)
    {
        if (handler is null)
            return;
        try
        {
            handler(session, argument);
        }
        catch (Exception ex)
        {
            Log.ListenerFailed(_logger, ex);
        }
    }

    private void Raise(Action? handler)
    {
        if (handler is null)
            return;
        try
        {
            handler();
        }
        catch (Exception ex)
        {
            Log.ListenerFailed(_logger, ex);
        }
    }

    private void Raise(Action<ServerSession>? handler, ServerSession session)
    {
        if (handler is null)
            return;
        try
        {
            handler(session);
        }
        catch (Exception ex)
        {
            Log.ListenerFailed(_logger, ex);
        }
    }

    /// <summary>
    /// Ends every session now (the host is stopping): held connects are answered at once with
    /// <c>402</c> and <c>reconnect:"handshake"</c>, so clients move to another node or retry.
    /// </summary>
    public void Shutdown()
    {
        foreach (var session in _sessions.Values)
            RemoveSession(session, SessionRemovalReason.Shutdown);
    }

    /// <summary>Stops the sweep and the backplane and removes every session.</summary>
    public async ValueTask DisposeAsync()
    {
        _sweeper.Dispose();
        foreach (var session in _sessions.Values)
            RemoveSession(session, SessionRemovalReason.Shutdown);
        if (_backplane is not null)
            await _backplane.DisposeAsync();
        Metrics.Dispose();
    }
}
