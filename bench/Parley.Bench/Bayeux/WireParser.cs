using System.Text.Json;

namespace Parley.Bench.Bayeux;

/// <summary>Reads a Bayeux frame (an array of messages, or one message) without building a DOM.</summary>
internal static class WireParser
{
    public delegate void Handler(ref WireMessage message);

    /// <summary>Calls <paramref name="handler"/> for each message; returns how many there were, or -1 when the frame is not JSON.</summary>
    public static int Parse(ReadOnlySpan<byte> frame, Handler handler)
    {
        try
        {
            var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read())
                return -1;
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadMessage(frame, ref reader, handler);
                return 1;
            }
            if (reader.TokenType != JsonTokenType.StartArray)
                return -1;
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                ReadMessage(frame, ref reader, handler);
                count++;
            }
            return count;
        }
        catch (JsonException)
        {
            return -1;
        }
    }

    private static void ReadMessage(ReadOnlySpan<byte> frame, ref Utf8JsonReader reader, Handler handler)
    {
        var m = default(WireMessage);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("channel"u8))
                m.Channel = reader.ValueSpan;
            else if (name.SequenceEqual("id"u8))
                m.Id = reader.TokenType == JsonTokenType.String || reader.TokenType == JsonTokenType.Number ? reader.ValueSpan : default;
            else if (name.SequenceEqual("clientId"u8))
                m.ClientId = reader.ValueSpan;
            else if (name.SequenceEqual("successful"u8))
            {
                m.HasSuccessful = true;
                m.Successful = reader.TokenType == JsonTokenType.True;
            }
            else if (name.SequenceEqual("error"u8))
                m.Error = reader.TokenType == JsonTokenType.String ? reader.ValueSpan : default;
            else if (name.SequenceEqual("data"u8))
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                m.Data = frame[start..(int)reader.BytesConsumed];
                m.HasData = true;
            }
            else if (name.SequenceEqual("advice"u8) && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.ValueSpan;
                    reader.Read();
                    if (key.SequenceEqual("reconnect"u8))
                        m.Reconnect = reader.ValueSpan;
                    else if (key.SequenceEqual("multiple-clients"u8))
                        m.MultipleClients = reader.TokenType == JsonTokenType.True;
                    else
                        reader.Skip();
                }
            }
            else
                reader.Skip();
        }
        handler(ref m);
    }

    /// <summary>Reads integer fields of a flat JSON object (the benchmark payload) by one-letter name.</summary>
    public static bool TryReadPayload(ReadOnlySpan<byte> data, out BenchPayload payload)
    {
        payload = default;
        var reader = new Utf8JsonReader(data);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return false;
        var found = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.Length == 1 && reader.TokenType == JsonTokenType.Number)
            {
                var v = reader.GetInt64();
                switch (name[0])
                {
                    case (byte)'o': payload.Origin = (int)v; found |= 1; break;
                    case (byte)'r': payload.Room = (int)v; found |= 2; break;
                    case (byte)'k': payload.RoomSeq = v; found |= 4; break;
                    case (byte)'t': payload.SentAt = v; found |= 8; break;
                    case (byte)'p': payload.Publisher = (int)v; break;
                    case (byte)'s': payload.Seq = v; break;
                    default: break;
                }
            }
            else
                reader.Skip();
        }
        return found == 15;
    }
}
