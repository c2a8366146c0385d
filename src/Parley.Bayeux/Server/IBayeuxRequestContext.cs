using System.Net;

namespace Parley.Bayeux.Server;

/// <summary>What the engine may know about the request a message came in: set by each transport.</summary>
public interface IBayeuxRequestContext
{
    /// <summary>The transport's connection type, e.g. <c>long-polling</c>.</summary>
    string Transport { get; }

    /// <summary>The <c>BAYEUX_BROWSER</c> cookie value the client sent, if any (never one issued by this response).</summary>
    string? BrowserId { get; }

    /// <summary>
    /// The browser a session created by this request belongs to: the cookie sent, or the one this
    /// response issues. Only identifies tabs of one browser; never used to check a clientId.
    /// </summary>
    string? SessionBrowser => BrowserId;

    /// <summary>True for HTTP/1.1 polling, where held polls count against the browser's connection limit.</summary>
    bool CountsBrowserPolls { get; }

    /// <summary>Signals when the client went away (HTTP request aborted, socket closed).</summary>
    CancellationToken Aborted { get; }

    /// <summary>Remote address of the client.</summary>
    IPAddress? RemoteAddress { get; }

    /// <summary>A request cookie.</summary>
    string? GetCookie(string name);

    /// <summary>A request header.</summary>
    string? GetHeader(string name);
}
