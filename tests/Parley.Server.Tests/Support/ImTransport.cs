namespace Parley.Server.Tests.Support;

/// <summary>How an <see cref="ImClient"/> talks Bayeux.</summary>
public enum ImTransport
{
    WebSocket,
    LongPolling,
}
