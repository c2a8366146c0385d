using System.Net.WebSockets;
using System.Text.Json.Nodes;

namespace Parley.Testing;

/// <summary>
/// What came back for one request: every message of an HTTP response, or, on a WebSocket, the
/// messages answering the frame's ids (deliveries go to the client's inbox, not here).
/// </summary>
public sealed class BayeuxResponse(
    int? status,
    IReadOnlyDictionary<string, string> headers,
    IReadOnlyList<JsonObject> messages,
    string raw,
    IReadOnlyList<string> requestIds,
    WebSocketCloseStatus? closeStatus = null)
{
    /// <summary>HTTP status; for a WebSocket frame, null (or the failed upgrade's status).</summary>
    public int? Status { get; } = status;

    /// <summary>HTTP response headers (the upgrade response's, for a WebSocket).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; } = headers;

    public IReadOnlyList<JsonObject> Messages { get; } = messages;

    /// <summary>The body as received (for JSONP: with its callback wrapper).</summary>
    public string Raw { get; } = raw;

    public IReadOnlyList<string> RequestIds { get; } = requestIds;

    /// <summary>Set when the server closed the WebSocket instead of answering.</summary>
    public WebSocketCloseStatus? CloseStatus { get; } = closeStatus;

    /// <summary>The reply to the first message of the request.</summary>
    public JsonObject Reply => RequestIds.Count > 0
        ? ReplyTo(RequestIds[0])
        : throw new InvalidOperationException("The request carried no message id.");

    /// <summary>The reply (a message with <c>successful</c>) carrying <paramref name="id"/>.</summary>
    public JsonObject ReplyTo(string id) =>
        FindReply(id) ?? throw new InvalidOperationException($"No reply with id {id} (status {Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}): {Raw}");

    public JsonObject? FindReply(string id)
    {
        foreach (var message in Messages)
        {
            if (message.Str("id") == id && message.Has("successful") && !message.Has("data"))
                return message;
        }
        return null;
    }

    /// <summary>Messages with <paramref name="id"/> that carry data (a remoteCall result, sent after the publish reply).</summary>
    public List<JsonObject> ResultsOf(string id)
    {
        var results = new List<JsonObject>();
        foreach (var message in Messages)
        {
            if (message.Str("id") == id && message.Has("data"))
                results.Add(message);
        }
        return results;
    }

    /// <summary>Unsuccessful replies whose error contains <paramref name="fragment"/>.</summary>
    public bool HasError(string fragment)
    {
        foreach (var message in Messages)
        {
            if (message.Bool("successful") == false && message.Str("error")?.Contains(fragment, StringComparison.Ordinal) == true)
                return true;
        }
        return false;
    }

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{Status} {CloseStatus} {Raw}";
}
