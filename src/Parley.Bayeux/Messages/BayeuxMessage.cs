using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Parley.Bayeux.Messages;

/// <summary>
/// One Bayeux message, as received from a client or sent back as a reply. Unknown fields are
/// ignored on the way in; null fields are left out on the way out.
/// </summary>
public sealed class BayeuxMessage
{
    /// <summary>The channel, e.g. <c>/meta/connect</c> or <c>/chat/room</c>.</summary>
    [JsonPropertyName("channel")]
    public string? Channel { get; set; }

    /// <summary>Message id, echoed on replies. Numeric ids are accepted and kept as strings.</summary>
    [JsonPropertyName("id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Id { get; set; }

    /// <summary>The session this message belongs to.</summary>
    [JsonPropertyName("clientId")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ClientId { get; set; }

    /// <summary>Application payload of a publish or delivery.</summary>
    [JsonPropertyName("data")]
    public JsonElement? Data { get; set; }

    /// <summary>Extension fields.</summary>
    [JsonPropertyName("ext")]
    public JsonObject? Ext { get; set; }

    /// <summary>Advice sent by the server (or a client's <c>timeout</c> hint on connect).</summary>
    [JsonPropertyName("advice")]
    public Advice? Advice { get; set; }

    /// <summary>Set on every reply to a meta message and to a publish.</summary>
    [JsonPropertyName("successful")]
    public bool? Successful { get; set; }

    /// <summary>Error string <c>code:args:message</c>.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; set; }

    /// <summary>Subscribe/unsubscribe target: a string or an array of strings, echoed verbatim.</summary>
    [JsonPropertyName("subscription")]
    public JsonElement? Subscription { get; set; }

    /// <summary>Transport of a connect.</summary>
    [JsonPropertyName("connectionType")]
    public string? ConnectionType { get; set; }

    /// <summary>Transports offered in a handshake request or reply.</summary>
    [JsonPropertyName("supportedConnectionTypes")]
    public string[]? SupportedConnectionTypes { get; set; }

    /// <summary>Protocol version (handshake).</summary>
    [JsonPropertyName("version")]
    public string? Version { get; set; }

    /// <summary>Lowest protocol version accepted (handshake).</summary>
    [JsonPropertyName("minimumVersion")]
    public string? MinimumVersion { get; set; }

    /// <summary>Set by the codec when this entry of a batch could not be read as a message.</summary>
    [JsonIgnore]
    public string? InvalidReason { get; internal set; }

    /// <summary>When the server received this message (Unix milliseconds), for the timesync extension.</summary>
    [JsonIgnore]
    public long ReceivedAtUnixMs { get; internal set; }

    /// <summary>True when this is a meta channel message.</summary>
    [JsonIgnore]
    public bool IsMeta => Channel is not null && Channel.StartsWith("/meta/", StringComparison.Ordinal);

    /// <summary>Reads one named ext field, or null.</summary>
    public JsonNode? GetExt(string name) => Ext is { } ext && ext.TryGetPropertyValue(name, out var value) ? value : null;

    /// <summary>Sets one ext field, creating the ext object when needed.</summary>
    public void SetExt(string name, JsonNode? value)
    {
        Ext ??= new JsonObject();
        Ext[name] = value;
    }

    /// <summary>A reply skeleton for this message: same channel and id.</summary>
    public BayeuxMessage CreateReply() => new() { Channel = Channel, Id = Id };
}
