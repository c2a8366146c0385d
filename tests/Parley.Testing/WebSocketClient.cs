using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Parley.Testing;

/// <summary>
/// <c>websocket</c>: one socket, a JSON array per frame. A reader sorts every received frame:
/// messages carrying the id of a waiting request answer it (a held connect's reply may come
/// much later, in a frame together with deliveries); the rest are deliveries.
/// </summary>
public sealed class WebSocketClient(Uri endpoint) : BayeuxClient(endpoint)
{
    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _opening = new(1, 1);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly Lock _gate = new();
    private readonly List<Exchange> _exchanges = [];
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Dictionary<string, string> _upgradeHeaders = new(StringComparer.OrdinalIgnoreCase);
    private int? _upgradeFailure;
    private Task? _reader;

    public override string ConnectionType => "websocket";

    public override bool DeliversByPush => true;

    /// <summary>The close status the server sent, once it closed the socket.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    /// <summary>Completes when the socket is closed by the server or fails.</summary>
    public Task Closed => _closed.Task;

    protected override async Task<BayeuxResponse> ExchangeAsync(string body, string? firstChannel, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        if (!await EnsureOpenAsync(cancellationToken))
            return new BayeuxResponse(_upgradeFailure, _upgradeHeaders, [], "", ids);

        var exchange = new Exchange(ids);
        lock (_gate)
        {
            if (CloseStatus is not null || _closed.Task.IsCompleted)
                return new BayeuxResponse(null, _upgradeHeaders, [], "", ids, CloseStatus);
            _exchanges.Add(exchange);
        }
        try
        {
            await _sending.WaitAsync(cancellationToken);
            try
            {
                await _socket.SendAsync(Encoding.UTF8.GetBytes(body), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            finally
            {
                _sending.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            // The server may have closed the socket while the frame was on its way; the reader reports how.
            await _closed.Task.WaitAsync(cancellationToken);
        }
        using (cancellationToken.Register(() => exchange.Completion.TrySetCanceled(cancellationToken)))
        {
            var messages = await exchange.Completion.Task;
            return new BayeuxResponse(null, _upgradeHeaders, messages, exchange.Raw.ToString(), ids, CloseStatus);
        }
    }

    private async Task<bool> EnsureOpenAsync(CancellationToken cancellationToken)
    {
        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (_socket.State != WebSocketState.None)
                return _upgradeFailure is null;
            _socket.Options.CollectHttpResponseDetails = true;
            if (Origin is not null)
                _socket.Options.SetRequestHeader("Origin", Origin);
            var uri = new UriBuilder(Endpoint) { Scheme = "ws" }.Uri;
            try
            {
                await _socket.ConnectAsync(uri, cancellationToken);
            }
            catch (WebSocketException)
            {
                _upgradeFailure = (int)_socket.HttpStatusCode;
                CopyUpgradeHeaders();
                _closed.TrySetResult();
                return false;
            }
            CopyUpgradeHeaders();
            _reader = ReadLoopAsync();
            return true;
        }
        finally
        {
            _opening.Release();
        }
    }

    private void CopyUpgradeHeaders()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (_socket.HttpResponseHeaders is { } received)
        {
            foreach (var (name, values) in received)
                headers[name] = string.Join(", ", values);
        }
        _upgradeHeaders = headers;
    }

    private async Task ReadLoopAsync()
    {
        var frame = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            while (true)
            {
                frame.SetLength(0);
                WebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (received.MessageType == WebSocketMessageType.Close)
                    {
                        CloseStatus = received.CloseStatus;
                        try
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        }
                        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
                        {
                        }
                        return;
                    }
                    frame.Write(buffer, 0, received.Count);
                }
                while (!received.EndOfMessage);
                OnFrame(Encoding.UTF8.GetString(frame.GetBuffer(), 0, (int)frame.Length));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _closed.TrySetResult();
                foreach (var exchange in _exchanges)
                    exchange.Completion.TrySetResult(exchange.Messages);
                _exchanges.Clear();
            }
        }
    }

    private void OnFrame(string text)
    {
        OnPayload(text);
        var completed = new List<Exchange>();
        lock (_gate)
        {
            foreach (var message in Json.ParseMessages(text))
            {
                var id = message.Str("id");
                var owner = id is null ? null : _exchanges.Find(e => e.Ids.Contains(id));
                if (owner is not null)
                {
                    owner.Add(message, text);
                    if (message.Has("successful"))
                        owner.Waiting.Remove(id!);
                }
                else if (!message.Has("successful") && !message.IsMeta())
                {
                    OnDelivery(message);
                }
                else if (_exchanges.Find(e => e.Ids.Count == 0) is { } raw)
                {
                    // An answer that names no request of ours (a refused frame): it answers a raw send.
                    raw.Add(message, text);
                    raw.Waiting.Clear();
                    raw.Answered = true;
                }
            }
            foreach (var exchange in _exchanges)
            {
                if (exchange.Waiting.Count == 0 && (exchange.Ids.Count > 0 || exchange.Answered))
                    completed.Add(exchange);
            }
            foreach (var exchange in completed)
                _exchanges.Remove(exchange);
        }
        foreach (var exchange in completed)
            exchange.Completion.TrySetResult(exchange.Messages);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, limit.Token);
                if (_reader is not null)
                    await _reader.WaitAsync(limit.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or TimeoutException)
            {
            }
        }
        _socket.Abort();
        if (_reader is not null)
            await _reader;
        _socket.Dispose();
        _opening.Dispose();
        _sending.Dispose();
    }

    private sealed class Exchange(IReadOnlyList<string> ids)
    {
        public IReadOnlyList<string> Ids { get; } = ids;

        public HashSet<string> Waiting { get; } = [.. ids];

        public List<JsonObject> Messages { get; } = [];

        public StringBuilder Raw { get; } = new();

        public bool Answered { get; set; }

        public TaskCompletionSource<List<JsonObject>> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(JsonObject message, string frame)
        {
            Messages.Add(message);
            if (Raw.Length == 0 || !Raw.ToString().EndsWith(frame, StringComparison.Ordinal))
                Raw.Append(frame);
        }
    }
}
