using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Parley.Bayeux.AspNetCore.Hosting;
using Parley.Bayeux.AspNetCore.Http;
using Parley.Bayeux.AspNetCore.Metrics;
using Parley.Bayeux.AspNetCore.Transports;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.AspNetCore;

/// <summary>Maps the Bayeux endpoint and its metrics.</summary>
public static class BayeuxEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every transport at one path (default <c>/cometd</c>): POST for long-polling, GET for
    /// callback-polling, WebSocket upgrades and EventSource streams, OPTIONS for CORS preflight.
    /// Requires <c>app.UseWebSockets()</c> earlier in the pipeline.
    /// </summary>
    public static RouteGroupBuilder MapBayeux(this IEndpointRouteBuilder endpoints, string path = "/cometd")
    {
        var group = endpoints.MapGroup(path);
        group.MapPost("/", (HttpContext http, HttpPollingTransport transport) => transport.LongPollAsync(http));
        group.MapPost("/{**rest}", (HttpContext http, HttpPollingTransport transport) => transport.LongPollAsync(http));
        group.MapGet("/", GetAsync);
        group.MapGet("/{**rest}", GetAsync);
        group.MapMethods("/", ["OPTIONS"], (HttpContext http, OriginPolicy origins) => origins.Preflight(http));
        group.MapMethods("/{**rest}", ["OPTIONS"], (HttpContext http, OriginPolicy origins) => origins.Preflight(http));
        return group;
    }

    /// <summary>Maps the engine's metrics in the Prometheus text format.</summary>
    public static IEndpointConventionBuilder MapBayeuxMetrics(this IEndpointRouteBuilder endpoints, string path = "/metrics") =>
        endpoints.MapGet(path, (BayeuxServer server, ConnectionBudget budget) => PrometheusEndpoint.Write(server, budget));

    private static Task GetAsync(HttpContext http, string? rest)
    {
        var services = http.RequestServices;
        if (http.WebSockets.IsWebSocketRequest)
            return services.GetRequiredService<WebSocketTransport>().AcceptAsync(http);
        if (http.Request.Query.ContainsKey("message"))
            return services.GetRequiredService<HttpPollingTransport>().CallbackPollAsync(http);
        var accept = http.Request.Headers.Accept.ToString();
        if (!string.IsNullOrEmpty(rest) && !rest.Contains('/') && accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase))
            return services.GetRequiredService<EventSourceTransport>().StreamAsync(http, rest);
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        return http.Response.WriteAsync("Bayeux endpoint: POST messages, or GET with ?message= (JSONP), a WebSocket upgrade or an EventSource.");
    }
}
