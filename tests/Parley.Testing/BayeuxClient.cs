using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Parley.Testing;

/// <summary>
/// A raw Bayeux client: builds messages by hand and reads what the server sends, so tests see
/// exactly the wire. Subclasses move the bytes; this class keeps the session's clientId and the
/// inbox of broadcast deliveries, wherever they arrived (a connect reply, a pushed frame, an
/// event stream).
/// </summary>
public abstract class BayeuxClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ExchangeLimit = TimeSpan.FromSeconds(30);

    // Ids are unique across every client of the process, so a stray id in a delivery can never
    // pass for the reply to one of the receiver's own requests.
    private static long s_nextId;

    private readonly Channel<JsonObject> _deliveries = Channel.CreateUnbounded<JsonObject>();
    private readonly ConcurrentQueue<string> _payloads = new();

    protected BayeuxClient(Uri endpoint) => Endpoint = endpoint;

    /// <summary>The Bayeux endpoint, http://host:port/cometd.</summary>
    public Uri Endpoint { get; }

    /// <summary>The connectionType this client announces and connects with.</summary>
    public abstract string ConnectionType { get; }

    /// <summary>True when deliveries arrive without a connect (WebSocket frames, event stream).</summary>
    public virtual bool DeliversByPush => false;

    public string? ClientId { get; set; }

    /// <summary>Sent as the Origin header on every request (a browser page's origin).</summary>
    public string? Origin { get; set; }

    /// <summary>Sent as the handshake's <c>ext</c> (credentials, e.g. <c>{"auth":{"token":"…"}}</c>) when set.</summary>
    public JsonObject? HandshakeExt { get; set; }

    /// <summary>Every payload received, decoded as UTF-8, in arrival order.</summary>
    public IEnumerable<string> Payloads => _payloads;

    public static string NextId() => Interlocked.Increment(ref s_nextId).ToString(CultureInfo.InvariantCulture);

    /// <summary>A message on <paramref name="channel"/> with a fresh id and this client's clientId.</summary>
    public JsonObject Message(string channel)
    {
        var message = new JsonObject { ["channel"] = channel, ["id"] = NextId() };
        if (ClientId is not null)
            message["clientId"] = ClientId;
        return message;
    }

    public Task<BayeuxResponse> SendAsync(params JsonObject[] messages) => SendAsync(new JsonArray(messages), CancellationToken.None);

    /// <summary>Sends one batch and returns the messages answering it.</summary>
    public async Task<BayeuxResponse> SendAsync(JsonArray batch, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        string? firstChannel = null;
        foreach (var node in batch)
        {
            if (node is not JsonObject message)
                continue;
            firstChannel ??= message.Str("channel");
            if (message.Str("id") is { } id)
                ids.Add(id);
        }
        using var deadline = Deadline(cancellationToken);
        return await ExchangeAsync(batch.ToJsonString(Json.Wire), firstChannel, ids, deadline.Token);
    }

    /// <summary>Sends a body as is (malformed or oversized input) and returns what the server answered.</summary>
    public async Task<BayeuxResponse> SendRawAsync(string body, CancellationToken cancellationToken = default)
    {
        using var deadline = Deadline(cancellationToken);
        return await ExchangeAsync(body, null, [], deadline.Token);
    }

    /// <summary>Moves one request to the server and collects what answers it.</summary>
    protected abstract Task<BayeuxResponse> ExchangeAsync(string body, string? firstChannel, IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>Called after a successful handshake (the event-stream client opens its stream here).</summary>
    protected virtual Task OnHandshakenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<BayeuxResponse> HandshakeResponseAsync(CancellationToken cancellationToken = default)
    {
        var handshake = Message("/meta/handshake");
        handshake.Remove("clientId");
        handshake["version"] = "1.0";
        handshake["minimumVersion"] = "1.0";
        handshake["supportedConnectionTypes"] = new JsonArray(ConnectionType);
        if (HandshakeExt is not null)
            handshake["ext"] = HandshakeExt.DeepClone();
        var response = await SendAsync(new JsonArray(handshake), cancellationToken);
        if (response.FindReply(handshake.Str("id")!) is { } reply && reply.Bool("successful") == true)
        {
            ClientId = reply.Str("clientId");
            await OnHandshakenAsync(cancellationToken);
        }
        return response;
    }

    /// <summary>Handshakes and throws (failing the test) unless the server accepted.</summary>
    public async Task<JsonObject> HandshakeAsync(CancellationToken cancellationToken = default)
    {
        var response = await HandshakeResponseAsync(cancellationToken);
        var reply = response.Reply;
        if (reply.Bool("successful") != true)
            throw new InvalidOperationException($"handshake refused: {response}");
        return reply;
    }

    /// <summary>Sends a connect; <paramref name="timeout"/> is the client's <c>advice.timeout</c> (0 = do not hold).</summary>
    public Task<BayeuxResponse> ConnectAsync(long? timeout = null, CancellationToken cancellationToken = default)
    {
        var connect = Message("/meta/connect");
        connect["connectionType"] = ConnectionType;
        if (timeout is { } hold)
            connect["advice"] = new JsonObject { ["timeout"] = hold };
        return SendAsync(new JsonArray(connect), cancellationToken);
    }

    /// <summary>Handshake plus the first connect, as real clients do it (the first connect is not held).</summary>
    public async Task StartSessionAsync()
    {
        await HandshakeAsync();
        var connect = await ConnectAsync(timeout: 0);
        if (connect.Reply.Bool("successful") != true)
            throw new InvalidOperationException($"first connect failed: {connect}");
    }

    public async Task<JsonObject> SubscribeAsync(JsonNode subscription)
    {
        var subscribe = Message("/meta/subscribe");
        subscribe["subscription"] = subscription;
        return (await SendAsync(subscribe)).Reply;
    }

    public async Task<JsonObject> UnsubscribeAsync(JsonNode subscription)
    {
        var unsubscribe = Message("/meta/unsubscribe");
        unsubscribe["subscription"] = subscription;
        return (await SendAsync(unsubscribe)).Reply;
    }

    public Task<BayeuxResponse> PublishAsync(string channel, JsonNode? data)
    {
        var publish = Message(channel);
        publish["data"] = data;
        return SendAsync(publish);
    }

    public async Task<JsonObject> DisconnectAsync() => (await SendAsync(Message("/meta/disconnect"))).Reply;

    /// <summary>
    /// The next broadcast delivery. Polling clients connect until one arrives; push clients
    /// wait for their socket or stream.
    /// </summary>
    public async Task<JsonObject> NextDeliveryAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultWait;
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            while (true)
            {
                if (_deliveries.Reader.TryRead(out var delivery))
                    return delivery;
                if (DeliversByPush)
                    return await _deliveries.Reader.ReadAsync(deadline.Token);
                await ConnectAsync(cancellationToken: deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"No delivery for {ConnectionType} client {ClientId} within {limit.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>Takes the next delivery already received, if any.</summary>
    public bool TryTakeDelivery(out JsonObject delivery) => _deliveries.Reader.TryRead(out delivery!);

    /// <summary>Records a payload as received.</summary>
    protected void OnPayload(string text) => _payloads.Enqueue(text);

    protected void OnDelivery(JsonObject message) => _deliveries.Writer.TryWrite(message);

    /// <summary>
    /// Sorts an HTTP response: what answers the request stays in the response; broadcast
    /// deliveries (not meta, no <c>successful</c>, no id of this request) also go to the inbox.
    /// </summary>
    protected void Sort(IReadOnlyList<JsonObject> messages, IReadOnlyList<string> ids)
    {
        foreach (var message in messages)
        {
            var id = message.Str("id");
            if (id is not null && ids.Contains(id))
                continue;
            if (!message.Has("successful") && !message.IsMeta())
                OnDelivery(message);
        }
    }

    private static CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (!cancellationToken.CanBeCanceled)
            deadline.CancelAfter(ExchangeLimit);
        return deadline;
    }

    public abstract ValueTask DisposeAsync();
}
