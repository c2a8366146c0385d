namespace Parley.Bayeux.Messages;

/// <summary>
/// A delivery serialized once to UTF-8 JSON and shared by every session it goes to: fan-out
/// copies references, never re-encodes.
/// </summary>
public sealed class EncodedMessage
{
    internal EncodedMessage(string channel, byte[] utf8Json)
    {
        Channel = channel;
        Utf8Json = utf8Json;
    }

    /// <summary>The channel the message was published to.</summary>
    public string Channel { get; }

    /// <summary>The complete message object as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Utf8Json { get; }

    /// <inheritdoc />
    public override string ToString() => System.Text.Encoding.UTF8.GetString(Utf8Json.Span);
}
