using System.Buffers;
using System.Net.WebSockets;
using Parley.Bench.Net;

namespace Parley.Bench.Bayeux;

/// <summary>
/// Bayeux over one WebSocket. While idle the receive waits with a zero-byte read, so an idle
/// client holds no receive buffer (what makes 18k idle sessions cheap on the generator side).
/// </summary>
internal sealed class WebSocketBayeuxClient(int index, Uri url, LocalEndpoints endpoints, ClientStats stats, IDeliverySink? sink)
    : BayeuxClient(index, url, endpoints, stats, sink)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private ClientWebSocket? _ws;
    private Task? _receiving;

    public override string ConnectionType => "websocket";

    public override async Task OpenAsync(CancellationToken cancellationToken)
    {
        var ws = new ClientWebSocket();
        ws.Options.KeepAliveInterval = TimeSpan.Zero;
        var builder = new UriBuilder(Url) { Scheme = Url.Scheme == "https" ? "wss" : "ws" };
        await ws.ConnectAsync(builder.Uri, Endpoints.Invoker(Index), cancellationToken);
        _ws = ws;
        _receiving = Task.Run(ReceiveLoopAsync, CancellationToken.None);
    }

    protected override async Task SendAsync(ReadOnlyMemory<byte> frame, bool connect, CancellationToken cancellationToken)
    {
        var ws = _ws ?? throw new InvalidOperationException("not open");
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await ws.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            if (!Stopping)
                Stats.Error("websocket send", ex.Message);
            Alive = false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    protected override void RunConnectLoop() => _ = SendConnectAsync();

    protected override void OnConnectAnswered()
    {
        if (Alive && !Stopping && LastConnectOk)
            _ = SendConnectAsync();
    }

    private async Task SendConnectAsync()
    {
        try
        {
            await SendAsync(ConnectFrame(), connect: true, CancellationToken.None);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            Alive = false;
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var ws = _ws!;
        // A client that expects deliveries keeps one buffer and reads frames straight into it;
        // an idle one (the connections scenario: no sink) first waits with a zero-byte read, so
        // it holds no buffer while nothing arrives, at the price of a second read per frame.
        var idle = Sink is null;
        var buffer = idle ? [] : new byte[16 * 1024];
        try
        {
            while (true)
            {
                if (idle)
                {
                    var first = await ws.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                    if (first.MessageType == WebSocketMessageType.Close)
                        break;
                    if (first.EndOfMessage)
                        continue;
                    buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
                }
                var length = 0;
                try
                {
                    while (true)
                    {
                        if (length == buffer.Length)
                        {
                            var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                            buffer.AsSpan(0, length).CopyTo(bigger);
                            if (idle)
                                ArrayPool<byte>.Shared.Return(buffer);
                            buffer = bigger; // kept by a busy client; returned after the frame by an idle one
                        }
                        var r = await ws.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                        if (r.MessageType == WebSocketMessageType.Close)
                            return;
                        length += r.Count;
                        if (r.EndOfMessage)
                            break;
                    }
                    Dispatch(buffer.AsSpan(0, length));
                }
                finally
                {
                    if (idle)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = [];
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            if (!Stopping)
                Stats.Error("websocket receive", ex.Message);
        }
        finally
        {
            if (!Stopping && Alive)
                Stats.Error("websocket", "closed by the server");
            Alive = false;
            FailPending("socket closed");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        Stopping = true;
        var ws = _ws;
        if (ws is null)
            return;
        try
        {
            if (ws.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // Closing is best effort.
        }
        ws.Dispose();
        if (_receiving is not null)
            await _receiving.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(static _ => { }, TaskScheduler.Default);
        _sendLock.Dispose();
    }
}
