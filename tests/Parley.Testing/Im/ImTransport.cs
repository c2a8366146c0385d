namespace Parley.Testing.Im;

/// <summary>How an <see cref="ImClient"/> talks Bayeux.</summary>
public enum ImTransport
{
    WebSocket,
    LongPolling,
}
