namespace Parley.Bayeux.Sessions;

/// <summary>
/// A connection that can push deliveries at any time (WebSocket, EventSource). The session calls
/// <see cref="Wake"/> when messages arrive; the target drains them on its own writer.
/// </summary>
internal interface IPushTarget
{
    void Wake();

    /// <summary>The session ended: close the connection.</summary>
    void Close();
}
