using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Testing;

/// <summary>Small readers over <see cref="JsonObject"/> messages, and the wire encoding of requests.</summary>
public static class Json
{
    /// <summary>UTF-8 as is on the wire: Chinese text and emoji are sent unescaped, as browsers' JSON.stringify does.</summary>
    public static readonly JsonSerializerOptions Wire = new() { Encoder = RawUtf8Encoder.Instance };

    public static string? Str(this JsonObject message, string name) =>
        message.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static bool? Bool(this JsonObject message, string name) =>
        message.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<bool>(out var flag) ? flag : null;

    public static long? Long(this JsonObject message, string name) =>
        message.TryGetPropertyValue(name, out var node) && node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    public static JsonObject? Obj(this JsonObject message, string name) =>
        message.TryGetPropertyValue(name, out var node) ? node as JsonObject : null;

    public static bool Has(this JsonObject message, string name) => message.ContainsKey(name);

    public static JsonObject? Advice(this JsonObject message) => message.Obj("advice");

    public static bool IsMeta(this JsonObject message) => message.Str("channel")?.StartsWith("/meta/", StringComparison.Ordinal) == true;

    /// <summary>Reads a response body: a JSON array of messages or one message; anything else is no message.</summary>
    public static List<JsonObject> ParseMessages(string text)
    {
        var list = new List<JsonObject>();
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return list;
        }
        if (root is JsonObject single)
        {
            list.Add(single);
        }
        else if (root is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is JsonObject message)
                    list.Add(message);
            }
        }
        return list;
    }
}
