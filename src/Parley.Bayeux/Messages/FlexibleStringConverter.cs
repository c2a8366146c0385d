using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Bayeux.Messages;

/// <summary>
/// Reads a JSON string or number as a string: some clients send numeric message ids. Always
/// writes a string, so a numeric id comes back as its decimal text.
/// </summary>
internal sealed class FlexibleStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                var raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
                return System.Text.Encoding.UTF8.GetString(raw);
            case JsonTokenType.Null:
                return null;
            default:
                throw new JsonException($"Expected a string or a number, found {reader.TokenType}.");
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
