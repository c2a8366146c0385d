using System.Net;
using Parley.Bayeux.Server;

namespace Parley.Bench.Micro;

/// <summary>The request a benchmark's handshake and subscribe pretend to arrive on: a WebSocket frame without cookies.</summary>
internal sealed class BenchRequestContext : IBayeuxRequestContext
{
    public static readonly BenchRequestContext WebSocket = new();

    public string Transport => "websocket";

    public string? BrowserId => null;

    public bool CountsBrowserPolls => false;

    public CancellationToken Aborted => CancellationToken.None;

    public IPAddress? RemoteAddress => IPAddress.Loopback;

    public string? GetCookie(string name) => null;

    public string? GetHeader(string name) => null;
}
