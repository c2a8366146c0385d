using System.Text.Json;
using Parley.Bayeux.Channels;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Security;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Server;

public sealed partial class BayeuxServer
{
    /// <summary>
    /// Handles one request's (or frame's) messages in order. Every message gets a reply; a
    /// <c>/meta/connect</c> is returned as <see cref="BatchResult.Connect"/> for the transport to
    /// wait on, so the transport decides how a held connect is parked.
    /// </summary>
    internal async ValueTask<BatchResult> ProcessAsync(IReadOnlyList<BayeuxMessage> messages, IBayeuxRequestContext context, CancellationToken cancellationToken)
    {
        var result = new BatchResult();
        var receivedAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var message in messages)
        {
            message.ReceivedAtUnixMs = receivedAt;
            if (message.InvalidReason is { } invalid)
            {
                result.Replies.Add(Error(message, invalid));
                continue;
            }
            var channel = message.Channel;
            if (string.IsNullOrEmpty(channel))
            {
                result.Replies.Add(Error(message, "400::channel_missing"));
                continue;
            }

            ServerSession? session = null;
            if (channel != ChannelName.Handshake)
            {
                session = FindSession(message.ClientId, context);
                if (session is null)
                {
                    var unknown = Error(message, "402::session_unknown");
                    unknown.Advice = new Advice { Reconnect = Advice.Reconnects.Handshake, Interval = 0 };
                    result.Replies.Add(unknown);
                    continue;
                }
                session.Touch(Now + ToTimestampDelta(Options.MaxInterval));
            }

            if (!await RunIncomingAsync(session, message, cancellationToken))
            {
                result.Replies.Add(Outgoing(session, message, Error(message, "404::message_deleted")));
                continue;
            }
            if (message.Error is { } refused)
            {
                result.Replies.Add(Outgoing(session, message, Error(message, refused)));
                continue;
            }

            switch (channel)
            {
                case ChannelName.Handshake:
                    await HandshakeAsync(message, context, result, cancellationToken);
                    break;
                case ChannelName.Connect:
                    Connect(session!, message, context, result);
                    break;
                case ChannelName.Subscribe:
                    result.Replies.Add(Outgoing(session, message, await SubscribeAsync(session!, message, cancellationToken)));
                    break;
                case ChannelName.Unsubscribe:
                    result.Replies.Add(Outgoing(session, message, Unsubscribe(session!, message)));
                    break;
                case ChannelName.Disconnect:
                    var bye = message.CreateReply();
                    bye.Successful = true;
                    result.Replies.Add(Outgoing(session, message, bye));
                    RemoveSession(session!, SessionRemovalReason.Disconnected);
                    break;
                default:
                    await PublishAsync(session!, message, result, cancellationToken);
                    break;
            }
        }
        return result;
    }

    private ServerSession? FindSession(string? clientId, IBayeuxRequestContext context)
    {
        if (clientId is null || !_sessions.TryGetValue(clientId, out var session) || !session.IsActive)
            return null;
        // A clientId presented by another browser than the one it was created in is not honoured.
        if (session.BrowserId is not null && context.BrowserId is not null && session.BrowserId != context.BrowserId)
        {
            Log.BrowserMismatch(_logger, clientId);
            return null;
        }
        return session;
    }

    private async ValueTask<bool> RunIncomingAsync(ServerSession? session, BayeuxMessage message, CancellationToken cancellationToken)
    {
        foreach (var extension in _extensions)
        {
            if (!await extension.IncomingAsync(session, message, cancellationToken))
                return false;
        }
        return true;
    }

    private BayeuxMessage Outgoing(ServerSession? session, BayeuxMessage request, BayeuxMessage reply)
    {
        foreach (var extension in _extensions)
            extension.OutgoingReply(session, request, reply);
        return reply;
    }

    private static BayeuxMessage Error(BayeuxMessage request, string error)
    {
        var reply = request.CreateReply();
        reply.Successful = false;
        reply.Error = error;
        return reply;
    }

    // maxInterval tells the client when its session is gone for sure: a client that keeps failing
    // to connect past timeout + interval + maxInterval handshakes again (the CometD client does).
    private Advice DefaultAdvice(string? transport) => transport == "eventsource"
        ? new Advice { Reconnect = Advice.Reconnects.Retry, Interval = Options.Timeout, Timeout = 0, MaxInterval = Options.MaxInterval }
        : new Advice { Reconnect = Advice.Reconnects.Retry, Interval = Options.Interval, Timeout = Options.Timeout, MaxInterval = Options.MaxInterval };

    private async ValueTask HandshakeAsync(BayeuxMessage message, IBayeuxRequestContext context, BatchResult result, CancellationToken cancellationToken)
    {
        if (!TryReserveSessionSlot())
        {
            Metrics.HandshakeRefused();
            Metrics.Overload();
            Log.SessionLimit(_logger, Options.MaxSessions);
            var full = Error(message, "503::server_overloaded");
            full.Advice = new Advice { Reconnect = Advice.Reconnects.Handshake, Interval = 5_000 };
            result.Replies.Add(full);
            result.Status = 503;
            return;
        }
        if (message.SupportedConnectionTypes is { Length: > 0 } offered && !offered.Any(t => Array.IndexOf(ConnectionTypes, t) >= 0))
        {
            ReleaseSessionSlot();
            Metrics.HandshakeRefused();
            var none = Error(message, "400::connection_types_unsupported");
            none.SupportedConnectionTypes = ConnectionTypes;
            none.Advice = new Advice { Reconnect = Advice.Reconnects.None };
            result.Replies.Add(Outgoing(null, message, none));
            return;
        }

        HandshakeDecision? decision = null;
        foreach (var authenticator in _authenticators)
        {
            decision = await authenticator.AuthenticateAsync(message, context, cancellationToken);
            if (decision is not null)
                break;
        }
        decision ??= Options.AllowAnonymous ? HandshakeDecision.Allow() : HandshakeDecision.Deny();
        if (!decision.Allowed)
        {
            ReleaseSessionSlot();
            Metrics.HandshakeRefused();
            Log.HandshakeDenied(_logger, decision.Error);
            var denied = Error(message, decision.Error ?? "403::handshake_denied");
            denied.Advice = new Advice { Reconnect = decision.Reconnect, Interval = 0 };
            result.Replies.Add(Outgoing(null, message, denied));
            return;
        }

        var session = new ServerSession(this, NewSessionId(), context.Transport, Now)
        {
            UserId = decision.UserId,
            // Bound to the browser cookie the handshake presented (anti-hijack). Sessions made over
            // WebSocket or without a cookie are not bound: the cookie a client ends up holding
            // need not be the one this handshake issued.
            BrowserId = context.Transport != "websocket" ? context.BrowserId : null,
            Browser = context.SessionBrowser,
        };
        _sessions[session.Id] = session;
        _sweeper.Schedule(session, session.ExpiresAt);
        Metrics.Handshake();

        var reply = message.CreateReply();
        reply.Successful = true;
        reply.ClientId = session.Id;
        reply.Version = "1.0";
        reply.MinimumVersion = "1.0";
        reply.SupportedConnectionTypes = ConnectionTypes;
        reply.Advice = DefaultAdvice(null);
        result.Replies.Add(Outgoing(session, message, reply));
        Log.SessionAdded(_logger, session.Id, context.Transport);
        Raise(SessionAdded, session);
    }

    private void Connect(ServerSession session, BayeuxMessage message, IBayeuxRequestContext context, BatchResult result)
    {
        // The client names its connection type; only known names are kept (they label metrics).
        var transport = message.ConnectionType is { } named && Array.IndexOf(ConnectionTypes, named) >= 0 ? named : context.Transport;
        var held = session.BeginConnect(transport, out var superseded);
        if (superseded is not null)
        {
            ReleaseBrowserPoll(superseded);
            superseded.Wake(ConnectWake.Superseded);
        }
        var pending = new PendingConnect(session, held, message, transport);
        if (result.Connect is { } earlier)
        {
            // Two connects in one batch: the last one counts.
            earlier.Held.Wake(ConnectWake.Superseded);
            result.Replies.Add(CompleteConnect(earlier, ConnectWake.Superseded, [])!);
            ConnectWritten(earlier, written: true);
        }
        result.Connect = pending;

        if (session.IsKicked)
        {
            held.Wake(ConnectWake.Kicked);
            return;
        }
        if (session.HasMessagesForConnect())
        {
            held.Wake(ConnectWake.Messages);
            return;
        }
        var timeout = message.Advice?.Timeout is long asked ? Math.Clamp(asked, 0, Options.MaxTimeout) : Options.Timeout;
        if (transport == "eventsource")
            timeout = 0;
        if (timeout == 0)
        {
            held.Wake(ConnectWake.Timeout);
            return;
        }
        // Held polls are counted by the cookie each connect carries, as the browser's connection
        // pool is what runs out.
        if (context.CountsBrowserPolls && context.BrowserId is { } browser && Options.MaxSessionsPerBrowser >= 0 && !TryCountBrowserPoll(browser, held))
        {
            // Another tab of this browser already holds a long poll: poll instead of holding.
            pending.MultipleClients = true;
            held.Wake(ConnectWake.Timeout);
            return;
        }
        held.Arm(_time, TimeSpan.FromMilliseconds(timeout), context.Aborted);
    }

    private bool TryCountBrowserPoll(string browser, HeldConnect held)
    {
        while (true)
        {
            var current = _browserPolls.GetValueOrDefault(browser);
            if (current >= Options.MaxSessionsPerBrowser)
                return false;
            var counted = current == 0 ? _browserPolls.TryAdd(browser, 1) : _browserPolls.TryUpdate(browser, current + 1, current);
            if (counted)
            {
                held.CountedBrowser = browser;
                return true;
            }
        }
    }

    private void ReleaseBrowserPoll(HeldConnect held)
    {
        var browser = Interlocked.Exchange(ref held.CountedBrowserField, null);
        if (browser is null)
            return;
        while (_browserPolls.TryGetValue(browser, out var current))
        {
            if (current <= 1 ? _browserPolls.TryRemove(new KeyValuePair<string, int>(browser, current)) : _browserPolls.TryUpdate(browser, current - 1, current))
                return;
        }
    }

    /// <summary>
    /// Builds the reply of a connect whose wait is over, taking the session's queued messages into
    /// <paramref name="deliveries"/>. Null when nothing is to be written (the client went away).
    /// </summary>
    internal BayeuxMessage? CompleteConnect(PendingConnect pending, ConnectWake wake, List<EncodedMessage> deliveries)
    {
        pending.Wake = wake;
        ReleaseBrowserPoll(pending.Held);
        var request = pending.Request;
        var reply = request.CreateReply();
        switch (wake)
        {
            case ConnectWake.Aborted:
                return null;
            case ConnectWake.Superseded:
                reply.Successful = false;
                reply.Error = "408::connect_superseded";
                reply.Advice = new Advice { Reconnect = Advice.Reconnects.Retry, Interval = 0 };
                break;
            case ConnectWake.Removed:
                reply.Successful = false;
                reply.Error = "402::session_unknown";
                reply.Advice = new Advice { Reconnect = Advice.Reconnects.Handshake, Interval = 0 };
                break;
            case ConnectWake.Disconnected:
                reply.Successful = true;
                reply.Advice = new Advice { Reconnect = Advice.Reconnects.None };
                break;
            default:
                reply.Successful = true;
                var batch = pending.Session.DrainForConnect(deliveries);
                if (batch is long ack)
                    reply.SetExt("ack", ack);
                reply.Advice = DefaultAdvice(pending.Transport);
                if (wake == ConnectWake.Kicked || pending.Session.IsKicked)
                {
                    pending.Wake = ConnectWake.Kicked;
                    reply.Advice = new Advice { Reconnect = Advice.Reconnects.None };
                }
                else if (pending.MultipleClients)
                {
                    reply.Advice.MultipleClients = true;
                    reply.Advice.Interval = Options.MultiSessionInterval;
                }
                break;
        }
        return Outgoing(pending.Session, request, reply);
    }

    /// <summary>Called by the transport after it wrote (or failed to write) a connect reply.</summary>
    internal void ConnectWritten(PendingConnect pending, bool written)
    {
        var session = pending.Session;
        // A failed write lost what the reply carried: the session must start over. A superseded
        // connect carried nothing, and its session lives on in the newer connect.
        if (!written && pending.Wake is not (ConnectWake.Aborted or ConnectWake.Superseded))
        {
            pending.Held.Dispose();
            RemoveSession(session, SessionRemovalReason.WriteFailed);
            return;
        }
        if (pending.Wake == ConnectWake.Kicked)
        {
            pending.Held.Dispose();
            RemoveSession(session, SessionRemovalReason.Kicked);
            return;
        }
        var interval = pending.Transport == "eventsource" ? Options.Timeout : Options.Interval;
        if (session.EndConnect(pending.Held, Now + ToTimestampDelta(interval + Options.MaxInterval)))
            _sweeper.Schedule(session, session.ExpiresAt);
    }

    private async ValueTask<BayeuxMessage> SubscribeAsync(ServerSession session, BayeuxMessage message, CancellationToken cancellationToken)
    {
        if (!TryReadSubscription(message, out var channels, out var error))
            return WithSubscription(Error(message, error), message);
        foreach (var channel in channels)
        {
            if (ChannelName.IsMeta(channel))
                return WithSubscription(Error(message, "403::meta_channel_forbidden"), message);
            if (ChannelName.IsService(channel))
                continue;
            if (!await SecurityPolicy.CanAsync(ChannelOperation.Subscribe, session, channel, message, cancellationToken))
                return WithSubscription(Error(message, "403:denied_by_security_policy:subscribe_denied"), message);
        }
        foreach (var channel in channels)
        {
            if (ChannelName.IsService(channel))
                continue;
            if (session.AddSubscription(channel))
            {
                if (!_subscriptions.Add(channel, session))
                    continue;
                // The reply waits until other nodes' broadcasts on the channel reach this one.
                if (_backplane is not null)
                    await _backplane.AddInterestAsync(channel, cancellationToken);
                if (!session.IsActive) // removed meanwhile: do not leave it in the index
                    RemoveFromIndex(channel, session);
                else
                    Raise(Subscribed, session, channel);
            }
        }
        var reply = message.CreateReply();
        reply.Successful = true;
        return WithSubscription(reply, message);
    }

    private BayeuxMessage Unsubscribe(ServerSession session, BayeuxMessage message)
    {
        if (!TryReadSubscription(message, out var channels, out var error))
            return WithSubscription(Error(message, error), message);
        foreach (var channel in channels)
        {
            if (session.RemoveSubscription(channel))
            {
                RemoveFromIndex(channel, session);
                Raise(Unsubscribed, session, channel);
            }
        }
        var reply = message.CreateReply();
        reply.Successful = true;
        return WithSubscription(reply, message);
    }

    private static BayeuxMessage WithSubscription(BayeuxMessage reply, BayeuxMessage request)
    {
        reply.Subscription = request.Subscription;
        return reply;
    }

    private static bool TryReadSubscription(BayeuxMessage message, out List<string> channels, out string error)
    {
        channels = [];
        error = "";
        if (message.Subscription is not { } subscription || subscription.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            error = "400::subscription_missing";
            return false;
        }
        if (subscription.ValueKind == JsonValueKind.String)
        {
            channels.Add(subscription.GetString()!);
        }
        else if (subscription.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in subscription.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    error = "400::subscription_invalid";
                    return false;
                }
                channels.Add(item.GetString()!);
            }
        }
        if (channels.Count == 0)
        {
            error = "400::subscription_invalid";
            return false;
        }
        foreach (var channel in channels)
        {
            if (!ChannelName.IsValid(channel))
            {
                error = "405::channel_invalid";
                return false;
            }
        }
        return true;
    }

    private async ValueTask PublishAsync(ServerSession session, BayeuxMessage message, BatchResult result, CancellationToken cancellationToken)
    {
        var channel = message.Channel!;
        if (ChannelName.IsMeta(channel))
        {
            result.Replies.Add(Outgoing(session, message, Error(message, "400::channel_unknown")));
            return;
        }
        if (!ChannelName.IsValidConcrete(channel))
        {
            result.Replies.Add(Outgoing(session, message, Error(message, "405::channel_invalid")));
            return;
        }
        if (message.Data is not { } data || data.ValueKind == JsonValueKind.Undefined)
        {
            result.Replies.Add(Outgoing(session, message, Error(message, "400::data_missing")));
            return;
        }
        if (!session.TryTakePublishToken(Now, _time.TimestampFrequency))
        {
            Metrics.RateLimit();
            result.Replies.Add(Outgoing(session, message, Error(message, "409::rate_limited")));
            return;
        }
        if (ChannelName.IsService(channel))
        {
            await CallServiceAsync(session, message, result, cancellationToken);
            return;
        }
        if (!await SecurityPolicy.CanAsync(ChannelOperation.Publish, session, channel, message, cancellationToken))
        {
            result.Replies.Add(Outgoing(session, message, Error(message, "403:denied_by_security_policy:publish_denied")));
            return;
        }

        var broadcast = new BayeuxMessage { Channel = channel, Data = data };
        var publish = true;
        foreach (var extension in _extensions)
            publish &= extension.OutgoingPublish(broadcast);
        if (publish && broadcast.Data is { } outgoing)
            await PublishAsync(BayeuxCodec.EncodeDelivery(channel, outgoing), cancellationToken);

        var reply = message.CreateReply();
        reply.Successful = true;
        result.Replies.Add(Outgoing(session, message, reply));
    }

    private async ValueTask CallServiceAsync(ServerSession session, BayeuxMessage message, BatchResult result, CancellationToken cancellationToken)
    {
        var matches = new List<Services.ServiceHandler[]>(2);
        _services.Match(message.Channel!, matches);
        if (matches.Count == 0)
        {
            result.Replies.Add(Outgoing(session, message, Error(message, "404::service_unknown")));
            return;
        }
        JsonElement? answer;
        try
        {
            answer = await matches[0][0](new Services.ServiceRequest(session, message), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.ServiceFailed(_logger, message.Channel!, ex);
            result.Replies.Add(Outgoing(session, message, Error(message, "500::service_failed")));
            return;
        }
        var reply = message.CreateReply();
        reply.Successful = true;
        result.Replies.Add(Outgoing(session, message, reply));
        // The remoteCall result travels as a message of its own (successful, with data): the
        // CometD client hands it to the remoteCall callback; it must not ride on the publish
        // reply, which the WebSocket transport would then take for a delivery.
        if (answer is { } data)
            result.Replies.Add(Outgoing(session, message, new BayeuxMessage { Channel = message.Channel, Id = message.Id, Successful = true, Data = data }));
    }
}
