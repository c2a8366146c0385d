using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Parley.Bench.Net;

namespace Parley.Bench.Bayeux;

/// <summary>
/// A lean Bayeux client: one small object per simulated user, raw JSON frames, no framework.
/// Requests someone awaits (handshake, subscribe, remote calls) are matched by <c>id</c>;
/// publish acknowledgements are only counted; deliveries go to the <see cref="IDeliverySink"/>.
/// </summary>
internal abstract class BayeuxClient : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private Dictionary<int, TaskCompletionSource<Reply>>? _pending;
    private int _nextId;
    private byte[]? _connectFrame;
    private bool _firstConnect = true;
    private TaskCompletionSource? _firstConnectDone;

    protected BayeuxClient(int index, Uri url, LocalEndpoints endpoints, ClientStats stats, IDeliverySink? sink)
    {
        Index = index;
        Url = url;
        Endpoints = endpoints;
        Stats = stats;
        Sink = sink;
    }

    public int Index { get; }

    /// <summary>Whatever the scenario keeps per client (rooms, the user, loss bitsets).</summary>
    public object? State { get; set; }

    public string? ClientId { get; private set; }

    public bool Alive { get; protected set; } = true;

    /// <summary>Set once the session was fully set up (handshake, subscriptions, first connect).</summary>
    public bool Opened { get; set; }

    protected Uri Url { get; }

    protected LocalEndpoints Endpoints { get; }

    protected ClientStats Stats { get; }

    protected IDeliverySink? Sink { get; }

    protected volatile bool Stopping;

    public abstract string ConnectionType { get; }

    public static BayeuxClient Create(string transport, int index, Uri url, LocalEndpoints endpoints, ClientStats stats, IDeliverySink? sink) => transport switch
    {
        "websocket" => new WebSocketBayeuxClient(index, url, endpoints, stats, sink),
        "long-polling" => new LongPollingBayeuxClient(index, url, endpoints, stats, sink),
        _ => throw new ArgumentException($"unknown transport '{transport}' (websocket or long-polling)"),
    };

    /// <summary>Opens the transport (the WebSocket); nothing for HTTP.</summary>
    public abstract Task OpenAsync(CancellationToken cancellationToken);

    /// <summary>Sends a frame; over HTTP the reply is read and dispatched before this completes.</summary>
    protected abstract Task SendAsync(ReadOnlyMemory<byte> frame, bool connect, CancellationToken cancellationToken);

    /// <summary>Handshakes; <paramref name="extJson"/> is the raw JSON of <c>ext</c>, if any.</summary>
    public async Task<Reply> HandshakeAsync(string? extJson, CancellationToken cancellationToken)
    {
        var (id, task) = Register();
        var frame = Frame(w =>
        {
            w.WriteStartObject();
            w.WriteString("channel"u8, "/meta/handshake"u8);
            w.WriteString("version"u8, "1.0"u8);
            w.WriteStartArray("supportedConnectionTypes"u8);
            w.WriteStringValue(ConnectionType);
            w.WriteEndArray();
            w.WriteString("id"u8, Id(id));
            if (extJson is not null)
            {
                w.WritePropertyName("ext"u8);
                w.WriteRawValue(extJson, skipInputValidation: true);
            }
            w.WriteEndObject();
        });
        await SendAsync(frame, connect: false, cancellationToken);
        var reply = await WithTimeout(task, cancellationToken);
        if (reply.Successful && reply.ClientId is { } clientId)
        {
            ClientId = clientId;
            _connectFrame = null;
        }
        else
        {
            Stats.Error("handshake", reply.Error ?? "unsuccessful");
        }
        return reply;
    }

    /// <summary>Subscribes to every channel (one message each, in one frame); true when all succeeded.</summary>
    public async Task<bool> SubscribeAsync(IReadOnlyList<string> channels, CancellationToken cancellationToken)
    {
        var tasks = new Task<Reply>[channels.Count];
        var ids = new int[channels.Count];
        for (var i = 0; i < channels.Count; i++)
            (ids[i], tasks[i]) = Register();
        var frame = Frame(w =>
        {
            for (var i = 0; i < channels.Count; i++)
            {
                w.WriteStartObject();
                w.WriteString("channel"u8, "/meta/subscribe"u8);
                w.WriteString("clientId"u8, ClientId);
                w.WriteString("subscription"u8, channels[i]);
                w.WriteString("id"u8, Id(ids[i]));
                w.WriteEndObject();
            }
        });
        await SendAsync(frame, connect: false, cancellationToken);
        var ok = true;
        foreach (var t in tasks)
        {
            var reply = await WithTimeout(t, cancellationToken);
            if (!reply.Successful)
            {
                Stats.Error("subscribe", reply.Error ?? "unsuccessful");
                ok = false;
            }
        }
        return ok;
    }

    /// <summary>Starts the heartbeat: connects held by the server, one after another; completes when the first connect was answered.</summary>
    public Task StartConnectingAsync()
    {
        _firstConnectDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RunConnectLoop();
        return _firstConnectDone.Task;
    }

    protected abstract void RunConnectLoop();

    /// <summary>The next <c>/meta/connect</c> frame (the first asks for an immediate answer, as real clients do).</summary>
    protected ReadOnlyMemory<byte> ConnectFrame()
    {
        if (_firstConnect)
        {
            _firstConnect = false;
            return Frame(w =>
            {
                w.WriteStartObject();
                w.WriteString("channel"u8, "/meta/connect"u8);
                w.WriteString("clientId"u8, ClientId);
                w.WriteString("connectionType"u8, ConnectionType);
                w.WriteStartObject("advice"u8);
                w.WriteNumber("timeout"u8, 0);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }
        return _connectFrame ??= Frame(w =>
        {
            w.WriteStartObject();
            w.WriteString("channel"u8, "/meta/connect"u8);
            w.WriteString("clientId"u8, ClientId);
            w.WriteString("connectionType"u8, ConnectionType);
            w.WriteEndObject();
        }).ToArray();
    }

    /// <summary>Sends publish messages already encoded as a JSON array; acknowledgements are counted, not awaited.</summary>
    public Task PublishAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken) => SendAsync(frame, connect: false, cancellationToken);

    /// <summary>A CometD remoteCall: publishes to a <c>/service/</c> channel and awaits the message carrying the result.</summary>
    public async Task<Reply> CallAsync(string channel, string dataJson, CancellationToken cancellationToken)
    {
        var (id, task) = Register();
        var frame = Frame(w =>
        {
            w.WriteStartObject();
            w.WriteString("channel"u8, channel);
            w.WriteString("clientId"u8, ClientId);
            w.WritePropertyName("data"u8);
            w.WriteRawValue(dataJson, skipInputValidation: true);
            w.WriteString("id"u8, Id(id));
            w.WriteEndObject();
        });
        await SendAsync(frame, connect: false, cancellationToken);
        return await WithTimeout(task, cancellationToken);
    }

    public int NextId() => Interlocked.Increment(ref _nextId);

    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Stopping = true;
        if (ClientId is null || !Alive)
            return;
        var frame = Frame(w =>
        {
            w.WriteStartObject();
            w.WriteString("channel"u8, "/meta/disconnect"u8);
            w.WriteString("clientId"u8, ClientId);
            w.WriteEndObject();
        });
        try
        {
            await SendAsync(frame, connect: false, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The session ends either way.
        }
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>Handles every message that arrives, whatever the transport.</summary>
    protected void Dispatch(ReadOnlySpan<byte> frame)
    {
        if (WireParser.Parse(frame, OnMessage) < 0)
            Stats.Error("protocol", "a frame that is not a JSON array: " + Encoding.UTF8.GetString(frame[..Math.Min(frame.Length, 80)]));
    }

    private void OnMessage(ref WireMessage m)
    {
        if (m.Channel.SequenceEqual("/meta/connect"u8))
        {
            OnConnectReply(ref m);
            return;
        }
        if (m.HasData && !m.HasSuccessful)
        {
            Interlocked.Increment(ref Stats.Deliveries);
            Sink?.OnDelivery(this, ref m);
            return;
        }
        TaskCompletionSource<Reply>? waiter = null;
        if (!m.Id.IsEmpty && _pending is not null && Utf8Parser.TryParse(m.Id, out int id, out _))
        {
            // A remoteCall is answered twice: the publish reply (no data), then the result.
            var isServiceAck = !m.IsMeta && !m.HasData && m.Successful;
            if (!isServiceAck)
            {
                lock (_gate)
                {
                    if (_pending.Remove(id, out waiter) && _pending.Count == 0)
                        _pending = null;
                }
            }
            else
            {
                lock (_gate)
                    if (_pending.ContainsKey(id))
                        return;
            }
        }
        if (waiter is not null)
        {
            waiter.TrySetResult(new Reply(
                m.Successful,
                m.Error.IsEmpty ? null : Encoding.UTF8.GetString(m.Error),
                m.HasData ? m.Data.ToArray() : null,
                m.ClientId.IsEmpty ? null : Encoding.UTF8.GetString(m.ClientId)));
            return;
        }
        if (m.HasSuccessful && !m.IsMeta)
        {
            if (m.Successful)
                Interlocked.Increment(ref Stats.PublishAcks);
            else
            {
                Interlocked.Increment(ref Stats.PublishErrors);
                Stats.Error("publish", m.Error.IsEmpty ? "unsuccessful" : Encoding.UTF8.GetString(m.Error));
            }
        }
        else if (m.HasSuccessful && !m.Successful)
        {
            Stats.Error(Encoding.UTF8.GetString(m.Channel), m.Error.IsEmpty ? "unsuccessful" : Encoding.UTF8.GetString(m.Error));
        }
    }

    /// <summary>The outcome of the latest connect: whether to send the next one.</summary>
    protected bool LastConnectOk { get; private set; }

    private void OnConnectReply(ref WireMessage m)
    {
        Interlocked.Increment(ref Stats.ConnectCycles);
        LastConnectOk = m.Successful;
        if (!m.Successful)
        {
            if (!Stopping)
                Stats.Error("connect", m.Error.IsEmpty ? "unsuccessful" : Encoding.UTF8.GetString(m.Error));
            if (m.Reconnect.SequenceEqual("handshake"u8) || m.Reconnect.SequenceEqual("none"u8))
                Alive = false;
        }
        else if (m.Reconnect.SequenceEqual("none"u8))
        {
            Alive = false;
        }
        _firstConnectDone?.TrySetResult();
        OnConnectAnswered();
    }

    /// <summary>Called after a connect reply was handled (WebSocket: send the next one).</summary>
    protected virtual void OnConnectAnswered()
    {
    }

    protected void FailPending(string why)
    {
        Dictionary<int, TaskCompletionSource<Reply>>? pending;
        lock (_gate)
        {
            pending = _pending;
            _pending = null;
        }
        if (pending is not null)
            foreach (var t in pending.Values)
                t.TrySetResult(new Reply(false, why, null, null));
        _firstConnectDone?.TrySetResult();
    }

    private (int Id, Task<Reply> Task) Register()
    {
        var id = NextId();
        var tcs = new TaskCompletionSource<Reply>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
            (_pending ??= [])[id] = tcs;
        return (id, tcs.Task);
    }

    private static async Task<Reply> WithTimeout(Task<Reply> task, CancellationToken cancellationToken)
    {
        try
        {
            return await task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            return new Reply(false, "no reply within 30 s", null, null);
        }
    }

    private static string Id(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes a JSON array of messages.</summary>
    public static ReadOnlyMemory<byte> Frame(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            w.WriteStartArray();
            write(w);
            w.WriteEndArray();
        }
        return buffer.WrittenMemory;
    }
}
