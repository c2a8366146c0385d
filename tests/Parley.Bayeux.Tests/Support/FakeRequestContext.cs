using System.Net;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.Tests.Support;

/// <summary>A request as a transport would describe it, without HTTP.</summary>
internal sealed class FakeRequestContext : IBayeuxRequestContext
{
    public string Transport { get; init; } = "long-polling";

    public string? BrowserId { get; init; }

    public bool CountsBrowserPolls { get; init; }

    public CancellationToken Aborted { get; init; }

    public IPAddress? RemoteAddress { get; init; } = IPAddress.Loopback;

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? GetCookie(string name) => Cookies.GetValueOrDefault(name);

    public string? GetHeader(string name) => Headers.GetValueOrDefault(name);
}
