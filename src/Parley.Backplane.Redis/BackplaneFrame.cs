using System.Buffers.Binary;
using System.Text;

namespace Parley.Backplane.Redis;

/// <summary>
/// What travels on a backplane channel: <c>version, kind, instance (8), sequence (8), origin length (2),
/// origin, channel length (2), channel, payload</c>. The instance is random per process, so a node that
/// restarts under the same id never has its new sequence numbers taken for repeats of the old ones.
/// </summary>
internal readonly struct BackplaneFrame
{
    public const byte Version = 1;
    public const byte KindBroadcast = 0;
    public const byte KindRestored = 1;
    private const int FixedLength = 1 + 1 + 8 + 8 + 2 + 2;

    private BackplaneFrame(byte kind, long instance, long sequence, ReadOnlyMemory<byte> origin, string channel, ReadOnlyMemory<byte> payload)
    {
        Kind = kind;
        Instance = instance;
        Sequence = sequence;
        OriginUtf8 = origin;
        Channel = channel;
        Payload = payload;
    }

    public byte Kind { get; }

    public long Instance { get; }

    public long Sequence { get; }

    public ReadOnlyMemory<byte> OriginUtf8 { get; }

    public string Channel { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    public static byte[] Encode(byte kind, long instance, long sequence, ReadOnlySpan<byte> originUtf8, string channel, ReadOnlySpan<byte> payload)
    {
        var channelLength = Encoding.UTF8.GetByteCount(channel);
        if (originUtf8.Length > ushort.MaxValue || channelLength > ushort.MaxValue)
            throw new ArgumentException("Node id or channel too long for a backplane frame.");
        var frame = new byte[FixedLength + originUtf8.Length + channelLength + payload.Length];
        var span = frame.AsSpan();
        span[0] = Version;
        span[1] = kind;
        BinaryPrimitives.WriteInt64LittleEndian(span[2..], instance);
        BinaryPrimitives.WriteInt64LittleEndian(span[10..], sequence);
        BinaryPrimitives.WriteUInt16LittleEndian(span[18..], (ushort)originUtf8.Length);
        originUtf8.CopyTo(span[20..]);
        var at = 20 + originUtf8.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)channelLength);
        at += 2;
        at += Encoding.UTF8.GetBytes(channel, span[at..]);
        payload.CopyTo(span[at..]);
        return frame;
    }

    public static bool TryDecode(byte[]? frame, out BackplaneFrame decoded)
    {
        decoded = default;
        if (frame is null || frame.Length < FixedLength || frame[0] != Version)
            return false;
        var span = frame.AsSpan();
        var originLength = BinaryPrimitives.ReadUInt16LittleEndian(span[18..]);
        var at = 20 + originLength;
        if (frame.Length < at + 2)
            return false;
        var channelLength = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
        at += 2;
        if (frame.Length < at + channelLength)
            return false;
        string channel;
        try
        {
            channel = Encoding.UTF8.GetString(span.Slice(at, channelLength));
        }
        catch (ArgumentException)
        {
            return false;
        }
        decoded = new BackplaneFrame(
            span[1],
            BinaryPrimitives.ReadInt64LittleEndian(span[2..]),
            BinaryPrimitives.ReadInt64LittleEndian(span[10..]),
            frame.AsMemory(20, originLength),
            channel,
            frame.AsMemory(at + channelLength));
        return true;
    }
}
