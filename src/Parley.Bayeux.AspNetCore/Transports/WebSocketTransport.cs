using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Bayeux.AspNetCore.Http;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.AspNetCore.Transports;

/// <summary>The <c>websocket</c> transport: accepts the upgrade and runs one <see cref="WebSocketConnection"/>.</summary>
internal sealed class WebSocketTransport(BayeuxServer server, OriginPolicy origins, IOptions<BayeuxOptions> options, IHostApplicationLifetime lifetime, ILogger<WebSocketConnection> logger)
{
    public async Task AcceptAsync(HttpContext http)
    {
        // Cross-site WebSocket hijacking: a browser page of a foreign origin gets no socket.
        if (!origins.Admit(http))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        // The cookie the client sent checks clientIds (none: nothing to check); the upgrade
        // response issues one when missing, so tabs of a browser that only ever used WebSocket
        // still know each other.
        var browser = BrowserCookie.Read(http, options.Value.BrowserCookieName);
        var sessionBrowser = browser ?? BrowserCookie.Issue(http, options.Value.BrowserCookieName);
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var connection = new WebSocketConnection(socket, server, options.Value, http, browser, sessionBrowser, logger);
        await connection.RunAsync(http.RequestAborted, lifetime.ApplicationStopping);
    }
}
