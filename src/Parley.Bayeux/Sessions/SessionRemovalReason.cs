namespace Parley.Bayeux.Sessions;

/// <summary>Why a session ended.</summary>
public enum SessionRemovalReason
{
    /// <summary>The client sent <c>/meta/disconnect</c>.</summary>
    Disconnected,
    /// <summary>No connect arrived within <c>maxInterval</c>.</summary>
    Expired,
    /// <summary>The server kicked it (e.g. a newer login).</summary>
    Kicked,
    /// <summary>Its queue overflowed under the <c>Disconnect</c> policy.</summary>
    QueueOverflow,
    /// <summary>A write to the client failed.</summary>
    WriteFailed,
    /// <summary>Removed by server code.</summary>
    Server,
    /// <summary>The server is shutting down.</summary>
    Shutdown,
}
