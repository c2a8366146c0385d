using System.Buffers;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Parley.Bayeux.AspNetCore.Http;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Server;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.AspNetCore.Transports;

/// <summary>
/// The <c>eventsource</c> transport (HTTP streaming, as Faye's browser client uses it): the client
/// opens <c>GET /cometd/{clientId}</c> as <c>text/event-stream</c> and receives every delivery as
/// one event holding a JSON array; it sends its messages by POST, and its connects return at once.
/// </summary>
internal sealed class EventSourceTransport(BayeuxServer server, OriginPolicy origins, IOptions<BayeuxOptions> options)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] KeepAlive = ":\n\n"u8.ToArray();

    public async Task StreamAsync(HttpContext http, string clientId)
    {
        if (!origins.Admit(http))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        var session = server.GetSession(clientId);
        var browser = BrowserCookie.Read(http, options.Value.BrowserCookieName);
        if (session is null || (session.BrowserId is not null && browser is not null && session.BrowserId != browser))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx must not buffer the stream
        await response.Body.FlushAsync(http.RequestAborted); // the client's EventSource opens now

        using var stream = new Stream(http);
        session.AttachPush(stream);
        bool delivered;
        try
        {
            delivered = await stream.RunAsync(session, TimeSpan.FromMilliseconds(Math.Max(1_000, options.Value.Timeout)));
        }
        finally
        {
            session.DetachPush(stream);
        }
        if (!delivered)
            server.RemoveSession(session, SessionRemovalReason.WriteFailed); // messages taken from its queue were lost
    }

    private sealed class Stream(HttpContext http) : IPushTarget, IDisposable
    {
        private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        private readonly CancellationTokenSource _closed = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);

        public void Wake() => _signal.Writer.TryWrite(true);

        public void Close() => _closed.Cancel();

        /// <summary>Streams until the client or the session goes; false when drained messages could not be written.</summary>
        public async Task<bool> RunAsync(ServerSession session, TimeSpan keepAlive)
        {
            var deliveries = new List<EncodedMessage>();
            var output = http.Response.BodyWriter;
            var token = _closed.Token;
            try
            {
                while (!token.IsCancellationRequested)
                {
                    using (var idle = CancellationTokenSource.CreateLinkedTokenSource(token))
                    {
                        idle.CancelAfter(keepAlive);
                        try
                        {
                            await _signal.Reader.ReadAsync(idle.Token);
                        }
                        catch (OperationCanceledException) when (!token.IsCancellationRequested)
                        {
                            // Idle: a comment line keeps proxies from closing the stream and detects dead clients.
                            output.Write(KeepAlive);
                            await output.FlushAsync(token);
                            continue;
                        }
                    }
                    session.DrainForPush(deliveries);
                    if (deliveries.Count == 0)
                        continue;
                    output.Write(DataPrefix);
                    BayeuxCodec.WriteBatch(output, deliveries, []);
                    output.Write(EventEnd);
                    deliveries.Clear();
                    await output.FlushAsync(token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException)
            {
                return deliveries.Count == 0;
            }
            return true;
        }

        public void Dispose() => _closed.Dispose();
    }
}
