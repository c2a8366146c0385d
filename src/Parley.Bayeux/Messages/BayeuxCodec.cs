using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Bayeux.Messages;

/// <summary>Reads request bodies into messages and writes replies and deliveries as one JSON array.</summary>
public static class BayeuxCodec
{
    // UTF-8 on the wire as is: Chinese text and emoji are not turned into \u escapes. Replies are
    // JSON documents (or JSONP scripts loaded by src), never inlined into HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = MinimalJsonEncoder.Instance };

    /// <summary>
    /// Parses a JSON array of messages, or a single message object. A message whose fields have
    /// the wrong types is kept with <see cref="BayeuxMessage.InvalidReason"/> set so it can get
    /// its own error reply while the rest of the batch is served.
    /// </summary>
    public static ParseResult Parse(ReadOnlySpan<byte> utf8, int maxMessages)
    {
        var start = FirstSignificantByte(utf8);
        if (start < 0)
            return ParseResult.Fail("400::empty_body");
        utf8 = utf8[start..]; // past whitespace and a byte-order mark
        try
        {
            BayeuxMessage[]? messages = utf8[0] switch
            {
                (byte)'[' => JsonSerializer.Deserialize(utf8, BayeuxJsonContext.Default.BayeuxMessageArray),
                (byte)'{' => JsonSerializer.Deserialize(utf8, BayeuxJsonContext.Default.BayeuxMessage) is { } one ? [one] : null,
                _ => null,
            };
            return Check(messages, maxMessages);
        }
        catch (JsonException)
        {
            return ParseLeniently(utf8, maxMessages);
        }
    }

    /// <summary>Parses a string body (the <c>message</c> form field or query parameter).</summary>
    public static ParseResult Parse(string json, int maxMessages)
    {
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(json.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = System.Text.Encoding.UTF8.GetBytes(json, rented);
            return Parse(rented.AsSpan(0, length), maxMessages);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static ParseResult Check(BayeuxMessage[]? messages, int maxMessages)
    {
        if (messages is null)
            return ParseResult.Fail("400::message_invalid");
        if (messages.Length == 0)
            return ParseResult.Fail("400::empty_batch");
        if (messages.Length > maxMessages)
            return ParseResult.Fail("413::too_many_messages");
        for (var i = 0; i < messages.Length; i++)
        {
            if (messages[i] is null)
                return ParseResult.Fail("400::message_invalid");
        }
        return new ParseResult(messages, null);
    }

    // The strict parse failed: either the JSON is malformed (the whole request is refused) or
    // some message has a field of the wrong type (only that message is refused).
    private static ParseResult ParseLeniently(ReadOnlySpan<byte> utf8, int maxMessages)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            if (!JsonDocument.TryParseValue(ref reader, out var parsed) || parsed is null)
                return ParseResult.Fail("400::json_invalid");
            document = parsed;
            if (reader.Read()) // anything but whitespace after the value (throws for most)
            {
                document.Dispose();
                return ParseResult.Fail("400::json_invalid");
            }
        }
        catch (JsonException)
        {
            return ParseResult.Fail("400::json_invalid");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
                return Check([ParseOne(root)], maxMessages);
            if (root.ValueKind != JsonValueKind.Array)
                return ParseResult.Fail("400::message_invalid");
            var length = root.GetArrayLength();
            if (length > maxMessages)
                return ParseResult.Fail("413::too_many_messages");
            var messages = new BayeuxMessage[length];
            var i = 0;
            foreach (var element in root.EnumerateArray())
                messages[i++] = ParseOne(element);
            return Check(messages, maxMessages);
        }
    }

    private static BayeuxMessage ParseOne(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            try
            {
                if (element.Deserialize(BayeuxJsonContext.Default.BayeuxMessage) is { } message)
                    return message;
            }
            catch (JsonException)
            {
            }
        }
        // Keep what can be read so the error reply can echo channel and id.
        return new BayeuxMessage
        {
            Channel = StringProperty(element, "channel", allowNumber: false),
            Id = StringProperty(element, "id", allowNumber: true),
            InvalidReason = "400::message_invalid",
        };
    }

    private static string? StringProperty(JsonElement element, string name, bool allowNumber) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number when allowNumber => value.GetRawText(),
                _ => null,
            }
            : null;

    private static int FirstSignificantByte(ReadOnlySpan<byte> utf8)
    {
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                return b == 0xEF && utf8.Length > i + 2 && utf8[i + 1] == 0xBB && utf8[i + 2] == 0xBF ? SkipBom(utf8, i) : i;
        }
        return -1;
    }

    private static int SkipBom(ReadOnlySpan<byte> utf8, int i)
    {
        var rest = FirstSignificantByte(utf8[(i + 3)..]);
        return rest < 0 ? -1 : rest + i + 3;
    }

    /// <summary>Serializes a broadcast once: <c>{"channel":…,"data":…}</c> and nothing else.</summary>
    public static EncodedMessage EncodeDelivery(string channel, JsonElement data, JsonObject? ext = null)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + channel.Length);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("channel"u8, channel);
            writer.WritePropertyName("data"u8);
            // The publisher's bytes as received (already validated by the parser): no re-escaping.
            writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(data), skipInputValidation: true);
            if (ext is not null)
            {
                writer.WritePropertyName("ext"u8);
                ext.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return new EncodedMessage(channel, buffer.WrittenSpan.ToArray());
    }

    /// <summary>
    /// Writes one JSON array: the replies, then the deliveries (already encoded), then connect
    /// replies, then disconnect replies — a handshake or subscribe reply precedes the messages it
    /// enables, the connect reply closes the stream of messages, and a disconnect reply comes
    /// after the connect it ended (the CometD client closes its socket only then).
    /// </summary>
    public static void WriteBatch(IBufferWriter<byte> output, IReadOnlyList<EncodedMessage> deliveries, IReadOnlyList<BayeuxMessage> replies)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartArray();
        WriteReplies(writer, replies, ReplyOrder.First);
        for (var i = 0; i < deliveries.Count; i++)
            writer.WriteRawValue(deliveries[i].Utf8Json.Span, skipInputValidation: true);
        WriteReplies(writer, replies, ReplyOrder.Connect);
        WriteReplies(writer, replies, ReplyOrder.Disconnect);
        writer.WriteEndArray();
    }

    private enum ReplyOrder { First, Connect, Disconnect }

    private static void WriteReplies(Utf8JsonWriter writer, IReadOnlyList<BayeuxMessage> replies, ReplyOrder order)
    {
        for (var i = 0; i < replies.Count; i++)
        {
            var place = replies[i].Channel switch
            {
                Channels.ChannelName.Connect => ReplyOrder.Connect,
                Channels.ChannelName.Disconnect => ReplyOrder.Disconnect,
                _ => ReplyOrder.First,
            };
            if (place == order)
                JsonSerializer.Serialize(writer, replies[i], BayeuxJsonContext.Default.BayeuxMessage);
        }
    }

    /// <summary>Serializes one message (tests, logs).</summary>
    public static string Serialize(BayeuxMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            JsonSerializer.Serialize(writer, message, BayeuxJsonContext.Default.BayeuxMessage);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Serializes messages as a JSON array, in the order given (tests, clients).</summary>
    public static string Serialize(IReadOnlyList<BayeuxMessage> messages)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var message in messages)
                JsonSerializer.Serialize(writer, message, BayeuxJsonContext.Default.BayeuxMessage);
            writer.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
