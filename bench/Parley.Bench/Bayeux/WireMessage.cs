namespace Parley.Bench.Bayeux;

/// <summary>
/// One message of a reply or delivery frame, as spans into the frame: reading a delivery costs no
/// allocation. Valid only during the callback that receives it.
/// </summary>
internal ref struct WireMessage
{
    public ReadOnlySpan<byte> Channel;
    public ReadOnlySpan<byte> Id;
    public ReadOnlySpan<byte> ClientId;
    public ReadOnlySpan<byte> Error;
    public ReadOnlySpan<byte> Reconnect;

    /// <summary>The raw JSON of <c>data</c>; empty when the message has none.</summary>
    public ReadOnlySpan<byte> Data;

    public bool HasSuccessful;
    public bool Successful;
    public bool HasData;
    public bool MultipleClients;

    public readonly bool IsMeta => Channel.StartsWith("/meta/"u8);
}
