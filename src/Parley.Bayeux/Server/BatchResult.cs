using Parley.Bayeux.Messages;

namespace Parley.Bayeux.Server;

/// <summary>The replies to one request or frame, and the connect still to be answered, if any.</summary>
internal sealed class BatchResult
{
    public List<BayeuxMessage> Replies { get; } = [];

    public PendingConnect? Connect { get; set; }

    /// <summary>HTTP status for HTTP transports: 200, or 503 when a handshake was refused for overload.</summary>
    public int Status { get; set; } = 200;
}
