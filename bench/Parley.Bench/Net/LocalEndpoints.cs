using System.Net;
using System.Net.Sockets;

namespace Parley.Bench.Net;

/// <summary>
/// Spreads client sockets over 127.0.0.1…127.0.0.K: each source address has its own ephemeral
/// port range, so K addresses lift the ~28k connections-per-address ceiling towards one server
/// port. One <see cref="SocketsHttpHandler"/> per address binds its sockets there.
/// </summary>
internal sealed class LocalEndpoints : IDisposable
{
    private readonly SocketsHttpHandler[] _handlers;
    private readonly HttpClient[] _clients;
    private readonly HttpMessageInvoker[] _invokers;
    private readonly IPAddress[] _locals;

    public LocalEndpoints(int count)
    {
        if (count is < 1 or > 254)
            throw new ArgumentException("--local-addrs is 1..254");
        _handlers = new SocketsHttpHandler[count];
        _clients = new HttpClient[count];
        _invokers = new HttpMessageInvoker[count];
        _locals = new IPAddress[count];
        for (var i = 0; i < count; i++)
        {
            var local = _locals[i] = new IPAddress(new byte[] { 127, 0, 0, (byte)(i + 1) });
            _handlers[i] = new SocketsHttpHandler
            {
                UseCookies = false,
                UseProxy = false,
                AllowAutoRedirect = false,
                MaxConnectionsPerServer = int.MaxValue,
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                ConnectTimeout = TimeSpan.FromSeconds(30),
                ConnectCallback = (context, ct) => ConnectAsync(local, context.DnsEndPoint, ct),
            };
            _clients[i] = new HttpClient(_handlers[i], disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
            _invokers[i] = new HttpMessageInvoker(_handlers[i], disposeHandler: false);
        }
    }

    public int Count => _handlers.Length;

    /// <summary>The HTTP client whose sockets start at address <c>index % K</c>.</summary>
    public HttpClient Http(int index) => _clients[index % _clients.Length];

    /// <summary>The invoker a <see cref="System.Net.WebSockets.ClientWebSocket"/> connects through.</summary>
    public HttpMessageInvoker Invoker(int index) => _invokers[index % _invokers.Length];

    /// <summary>A TCP connection to <paramref name="remote"/> from address <c>index % K</c>.</summary>
    public ValueTask<Socket> ConnectSocketAsync(int index, DnsEndPoint remote, CancellationToken ct) =>
        ConnectSocketAsync(_locals[index % _locals.Length], remote, ct);

    private static async ValueTask<Stream> ConnectAsync(IPAddress local, DnsEndPoint remote, CancellationToken ct) =>
        new NetworkStream(await ConnectSocketAsync(local, remote, ct), ownsSocket: true);

    private static async ValueTask<Socket> ConnectSocketAsync(IPAddress local, DnsEndPoint remote, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(local, 0));
            EndPoint target = IPAddress.TryParse(remote.Host, out var ip) ? new IPEndPoint(ip, remote.Port) : remote;
            await socket.ConnectAsync(target, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var c in _clients)
            c.Dispose();
        foreach (var i in _invokers)
            i.Dispose();
        foreach (var h in _handlers)
            h.Dispose();
    }
}
