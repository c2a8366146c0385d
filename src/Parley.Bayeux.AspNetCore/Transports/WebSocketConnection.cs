using System.Buffers;
using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Parley.Bayeux.AspNetCore.Http;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Server;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.AspNetCore.Transports;

/// <summary>
/// One WebSocket carrying Bayeux frames. The reader handles each frame and queues its replies;
/// a single writer sends, in one frame, everything that is ready: replies, deliveries and
/// completed connects. Deliveries are pushed at any time; <c>/meta/connect</c> is still held as
/// the heartbeat.
/// </summary>
internal sealed partial class WebSocketConnection : IPushTarget
{
    private readonly WebSocket _socket;
    private readonly BayeuxServer _server;
    private readonly BayeuxOptions _options;
    private readonly HttpContext _http;
    private readonly string? _browser;
    private readonly string? _sessionBrowser;
    private readonly ILogger _logger;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _closed = new();
    private List<BayeuxMessage> _replies = [];
    private readonly List<PendingConnect> _connects = [];
    private ServerSession? _session;
    private volatile bool _stopping;
    private int _sending;

    public WebSocketConnection(WebSocket socket, BayeuxServer server, BayeuxOptions options, HttpContext http, string? browser, string? sessionBrowser, ILogger logger)
    {
        _sessionBrowser = sessionBrowser;
        _socket = socket;
        _server = server;
        _options = options;
        _http = http;
        _browser = browser;
        _logger = logger;
    }

    public void Wake() => _signal.Writer.TryWrite(true);

    // A removed session does not close the socket: the client re-handshakes on it.
    public void Close() => Wake();

    public async Task RunAsync(CancellationToken aborted, CancellationToken stopping)
    {
        using var link = CancellationTokenSource.CreateLinkedTokenSource(aborted, _closed.Token);
        // Server shutdown: the writer sends what is pending, then a close frame (1001); a client
        // that does not answer it within a few seconds is cut off.
        using var onStopping = stopping.Register(() =>
        {
            _stopping = true;
            Wake();
            link.CancelAfter(TimeSpan.FromSeconds(5));
        });
        // Sends take no token (see WriteLoopAsync); cancelling aborts a send in progress, as a
        // cancelled send would.
        using var abortSend = link.Token.Register(static state =>
        {
            var connection = (WebSocketConnection)state!;
            if (Volatile.Read(ref connection._sending) != 0)
                connection._socket.Abort();
        }, this);
        var writer = WriteLoopAsync(link.Token);
        try
        {
            await ReadLoopAsync(link.Token);
        }
        finally
        {
            await _closed.CancelAsync(); // wakes held connects as Aborted
            _signal.Writer.TryComplete();
            await writer;
            if (_session is { } session)
                session.DetachPush(this);
            _closed.Dispose();
        }
    }

    private async Task ReadLoopAsync(CancellationToken cancellationToken)
    {
        var context = new HttpBayeuxContext(_http, "websocket", _browser, countsBrowserPolls: false, _closed.Token, _sessionBrowser);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // Wait for the next frame without holding a buffer: idle sockets cost no memory.
                var probe = await _socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
                if (probe.MessageType == WebSocketMessageType.Close)
                    return;
                if (probe.EndOfMessage)
                    continue; // an empty frame: nothing to handle
                using var buffer = new PooledBufferWriter();
                var tooLarge = false;
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
                    if (received.MessageType == WebSocketMessageType.Close)
                        return;
                    buffer.Advance(received.Count);
                    tooLarge = buffer.WrittenCount > _options.MaxMessageSize;
                }
                while (!received.EndOfMessage && !tooLarge);
                if (tooLarge)
                {
                    Log.FrameTooLarge(_logger, _options.MaxMessageSize);
                    await _socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too large", CancellationToken.None);
                    return;
                }
                var parsed = BayeuxCodec.Parse(buffer.WrittenSpan, _options.MaxMessagesPerRequest);
                if (!parsed.Success)
                {
                    Enqueue([new BayeuxMessage { Channel = "/meta/unknown", Successful = false, Error = parsed.Error }], null);
                    continue;
                }
                var result = await _server.ProcessAsync(parsed.Messages!, context, cancellationToken);
                Bind(parsed.Messages!, result);
                Enqueue(result.Replies, result.Connect);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            Log.SocketEnded(_logger, ex.Message);
        }
    }

    // Deliveries of the session this socket serves are pushed through it: the session it
    // handshook, or the one whose clientId it presents (a reload reconnecting on a new socket).
    private void Bind(BayeuxMessage[] messages, BatchResult result)
    {
        string? clientId = null;
        foreach (var reply in result.Replies)
        {
            if (reply.Channel == Bayeux.Channels.ChannelName.Handshake && reply.Successful == true)
                clientId = reply.ClientId;
        }
        clientId ??= result.Connect?.Session.Id ?? Array.Find(messages, m => m.ClientId is not null)?.ClientId;
        if (clientId is null || clientId == _session?.Id || _server.GetSession(clientId) is not { } session)
            return;
        _session?.DetachPush(this);
        _session = session;
        session.AttachPush(this);
    }

    private void Enqueue(List<BayeuxMessage> replies, PendingConnect? connect)
    {
        lock (_gate)
        {
            _replies.AddRange(replies);
            if (connect is not null)
            {
                _connects.Add(connect);
                connect.Completion.ContinueWith(static (_, state) => ((WebSocketConnection)state!).Wake(), this,
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        Wake();
    }

    private async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        var deliveries = new List<EncodedMessage>();
        var answered = new List<PendingConnect>();
        try
        {
            while (await _signal.Reader.WaitToReadAsync(CancellationToken.None))
            {
                _signal.Reader.TryRead(out _);
                if (cancellationToken.IsCancellationRequested)
                    break;
                List<BayeuxMessage> replies;
                lock (_gate)
                {
                    replies = _replies;
                    _replies = [];
                    for (var i = _connects.Count - 1; i >= 0; i--)
                    {
                        var connect = _connects[i];
                        if (!connect.Completion.IsCompleted)
                            continue;
                        _connects.RemoveAt(i);
                        var reply = _server.CompleteConnect(connect, connect.Completion.Result, deliveries);
                        if (reply is not null)
                            replies.Add(reply);
                        answered.Add(connect);
                    }
                }
                _session?.DrainForPush(deliveries);
                if (replies.Count == 0 && deliveries.Count == 0)
                {
                    FinishConnects(answered, written: true);
                    if (_stopping)
                    {
                        await CloseForShutdownAsync();
                        break;
                    }
                    continue;
                }
                var written = true;
                using (var output = new PooledBufferWriter())
                {
                    BayeuxCodec.WriteBatch(output, deliveries, replies);
                    deliveries.Clear();
                    // No token on the send: a cancelable send takes ManagedWebSocket's slow path
                    // (another state machine and a registration per frame). The flag lets
                    // cancellation abort a send in progress instead (see RunAsync).
                    Interlocked.Exchange(ref _sending, 1);
                    try
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        await _socket.SendAsync(output.WrittenMemory, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    }
                    catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
                    {
                        Log.SocketEnded(_logger, ex.Message);
                        written = false;
                    }
                    finally
                    {
                        Volatile.Write(ref _sending, 0);
                    }
                }
                FinishConnects(answered, written);
                if (!written)
                    break;
                if (_stopping)
                {
                    await CloseForShutdownAsync();
                    break;
                }
            }
        }
        finally
        {
            // Connects still parked when the socket ends were never answered: their messages stay queued.
            lock (_gate)
            {
                foreach (var connect in _connects)
                {
                    connect.Held.Wake(ConnectWake.Aborted);
                    connect.Wake = ConnectWake.Aborted;
                    _server.ConnectWritten(connect, written: false);
                }
                _connects.Clear();
            }
        }
    }

    private async Task CloseForShutdownAsync()
    {
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down", CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or InvalidOperationException)
        {
            Log.SocketEnded(_logger, ex.Message);
        }
    }

    private void FinishConnects(List<PendingConnect> answered, bool written)
    {
        foreach (var connect in answered)
            _server.ConnectWritten(connect, written);
        answered.Clear();
    }
}
