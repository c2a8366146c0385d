namespace Parley.Bayeux.Sessions;

/// <summary>Why a held <c>/meta/connect</c> completed.</summary>
public enum ConnectWake
{
    /// <summary>Messages are waiting for the session.</summary>
    Messages,
    /// <summary>The timeout elapsed with nothing to send: the heartbeat.</summary>
    Timeout,
    /// <summary>A newer connect of the same session arrived.</summary>
    Superseded,
    /// <summary>The client disconnected.</summary>
    Disconnected,
    /// <summary>The server kicked the session: reconnect "none".</summary>
    Kicked,
    /// <summary>The server removed the session.</summary>
    Removed,
    /// <summary>The underlying request was aborted by the client.</summary>
    Aborted,
}
