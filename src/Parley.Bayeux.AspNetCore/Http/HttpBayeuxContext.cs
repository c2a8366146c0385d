using System.Net;
using Microsoft.AspNetCore.Http;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.AspNetCore.Http;

/// <summary>The engine's view of an HTTP request or WebSocket connection.</summary>
internal sealed class HttpBayeuxContext(HttpContext http, string transport, string? browserId, bool countsBrowserPolls, CancellationToken aborted, string? sessionBrowser = null) : IBayeuxRequestContext
{
    public string? SessionBrowser { get; } = sessionBrowser ?? browserId;

    public string Transport { get; } = transport;

    public string? BrowserId { get; } = browserId;

    public bool CountsBrowserPolls { get; } = countsBrowserPolls;

    public CancellationToken Aborted { get; } = aborted;

    public IPAddress? RemoteAddress => http.Connection.RemoteIpAddress;

    public string? GetCookie(string name) => http.Request.Cookies[name];

    public string? GetHeader(string name) => http.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
}
