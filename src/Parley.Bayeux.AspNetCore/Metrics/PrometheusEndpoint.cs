using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Parley.Bayeux.AspNetCore.Hosting;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.AspNetCore.Metrics;

/// <summary>Writes the engine's metrics in the Prometheus text format.</summary>
internal static class PrometheusEndpoint
{
    public static IResult Write(BayeuxServer server, ConnectionBudget budget)
    {
        var m = server.Metrics;
        var gauges = m.Gauges();
        var text = new StringBuilder(2048);
        Counter(text, "bayeux_handshakes_total", "Sessions created.", m.Handshakes);
        Counter(text, "bayeux_handshakes_refused_total", "Handshakes refused (denied or overloaded).", m.HandshakesRefused);
        Counter(text, "bayeux_publishes_total", "Broadcasts published.", m.Publishes);
        Counter(text, "bayeux_deliveries_total", "Messages queued to sessions.", m.Deliveries);
        Counter(text, "bayeux_dropped_total", "Messages dropped by queue overflow.", m.Dropped);
        Counter(text, "bayeux_rate_limited_total", "Publishes refused by the rate limit.", m.RateLimited);
        Counter(text, "bayeux_expired_total", "Sessions expired.", m.Expired);
        Counter(text, "bayeux_overloaded_total", "Requests refused with 503.", m.Overloaded + Interlocked.Read(ref budget.Refused));
        Counter(text, "bayeux_backplane_received_total", "Broadcasts received from other nodes.", m.BackplaneReceived);
        Gauge(text, "bayeux_sessions", "Live sessions.", gauges.Sessions);
        Gauge(text, "bayeux_held_connects", "Connects currently held.", gauges.HeldConnects);
        Gauge(text, "bayeux_queued_messages", "Messages waiting in session queues.", gauges.QueuedMessages);
        Gauge(text, "bayeux_connections", "Open TCP connections.", budget.Open);
        Gauge(text, "bayeux_backplane_connected", "1 while broadcasts flow between nodes (always 1 without a backplane).", server.BackplaneConnected ? 1 : 0);
        text.Append("# HELP bayeux_sessions_by_transport Live sessions by last connection type.\n# TYPE bayeux_sessions_by_transport gauge\n");
        foreach (var (transport, count) in gauges.SessionsByTransport ?? new Dictionary<string, long>())
            text.Append(CultureInfo.InvariantCulture, $"bayeux_sessions_by_transport{{transport=\"{transport}\"}} {count}\n");
        return Results.Text(text.ToString(), "text/plain; version=0.0.4; charset=utf-8");
    }

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");

    private static void Gauge(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");
}
