using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Server;

/// <summary>Settings of the Bayeux server, bound from the <c>Bayeux</c> configuration section.</summary>
public sealed class BayeuxOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Bayeux";

    /// <summary>Milliseconds a <c>/meta/connect</c> is held when there is nothing to send. Below common proxy idle timeouts.</summary>
    public long Timeout { get; set; } = 25_000;

    /// <summary>Milliseconds the client waits between a connect reply and its next connect.</summary>
    public long Interval { get; set; }

    /// <summary>Milliseconds a session survives without a connect after the interval (page reloads fit in it).</summary>
    public long MaxInterval { get; set; } = 10_000;

    /// <summary>Longest hold a client may ask for with <c>advice.timeout</c>.</summary>
    public long MaxTimeout { get; set; } = 60_000;

    /// <summary>Sessions one node accepts; a handshake beyond it gets HTTP 503.</summary>
    public int MaxSessions { get; set; } = 18_500;

    /// <summary>Largest request body or WebSocket message, in bytes.</summary>
    public int MaxMessageSize { get; set; } = 64 * 1024;

    /// <summary>Most messages one request or frame may carry.</summary>
    public int MaxMessagesPerRequest { get; set; } = 100;

    /// <summary>Deliveries queued per session before the overflow policy acts.</summary>
    public int MaxQueue { get; set; } = 1_000;

    /// <summary>What a full queue does.</summary>
    public QueueOverflowPolicy QueueOverflow { get; set; } = QueueOverflowPolicy.DropOldest;

    /// <summary>Sustained publishes per second per session (0 = unlimited); beyond it <c>409::rate_limited</c>.</summary>
    public double PublishRatePerSecond { get; set; } = 100;

    /// <summary>Publishes a session may burst above the rate.</summary>
    public double PublishBurst { get; set; } = 200;

    /// <summary>Handshakes without credentials are accepted.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Channel patterns any handshaken session may publish and subscribe to (conformance runs, benchmarks).</summary>
    public List<string> OpenChannels { get; set; } = [];

    /// <summary>Origins allowed to make cross-origin requests (exact <c>scheme://host[:port]</c>); <c>*</c> allows any.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Held long polls per browser (BAYEUX_BROWSER cookie) on HTTP/1.1; extra tabs get <c>multiple-clients</c> advice. Negative = unlimited.</summary>
    public int MaxSessionsPerBrowser { get; set; } = 1;

    /// <summary>Interval advised to a tab that got <c>multiple-clients</c>, in milliseconds.</summary>
    public long MultiSessionInterval { get; set; } = 2_000;

    /// <summary>How often the expiry sweep runs, in milliseconds.</summary>
    public long SweepInterval { get; set; } = 1_000;

    /// <summary>Name of the browser identity cookie.</summary>
    public string BrowserCookieName { get; set; } = "BAYEUX_BROWSER";

    /// <summary>TCP connections the node accepts (HTTP and upgraded together), kept below the 20,000 file-descriptor cap; beyond it: 503.</summary>
    public int MaxConnections { get; set; } = 19_000;
}
