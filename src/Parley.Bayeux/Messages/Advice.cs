using System.Text.Json.Serialization;

namespace Parley.Bayeux.Messages;

/// <summary>Bayeux advice: how and when the client should reconnect.</summary>
public sealed class Advice
{
    /// <summary><c>retry</c>, <c>handshake</c> or <c>none</c>.</summary>
    [JsonPropertyName("reconnect")]
    public string? Reconnect { get; set; }

    /// <summary>Milliseconds to wait before the next connect.</summary>
    [JsonPropertyName("interval")]
    public long? Interval { get; set; }

    /// <summary>Milliseconds the server may hold a connect.</summary>
    [JsonPropertyName("timeout")]
    public long? Timeout { get; set; }

    /// <summary>Milliseconds the server keeps a session without a connect: past it, a client that could not reconnect should handshake again.</summary>
    [JsonPropertyName("maxInterval")]
    public long? MaxInterval { get; set; }

    /// <summary>Set when another session of the same browser already holds a long poll.</summary>
    [JsonPropertyName("multiple-clients")]
    public bool? MultipleClients { get; set; }

    /// <summary>Well-known reconnect values.</summary>
    public static class Reconnects
    {
        /// <summary>Connect again after the interval.</summary>
        public const string Retry = "retry";
        /// <summary>Handshake again.</summary>
        public const string Handshake = "handshake";
        /// <summary>Do not reconnect.</summary>
        public const string None = "none";
    }
}
