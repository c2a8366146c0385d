namespace Parley.Bayeux.Security;

/// <summary>What the authenticator decided about a handshake.</summary>
public sealed class HandshakeDecision
{
    private HandshakeDecision(bool allowed, string? userId, string? error, string reconnect)
    {
        Allowed = allowed;
        UserId = userId;
        Error = error;
        Reconnect = reconnect;
    }

    /// <summary>True when the session may be created.</summary>
    public bool Allowed { get; }

    /// <summary>The identity to attach to the session (<see cref="Sessions.ServerSession.UserId"/>).</summary>
    public string? UserId { get; }

    /// <summary>The Bayeux error of a refusal.</summary>
    public string? Error { get; }

    /// <summary>The reconnect advice of a refusal: <c>none</c> when retrying cannot help.</summary>
    public string Reconnect { get; }

    /// <summary>Accept, optionally as a known user.</summary>
    public static HandshakeDecision Allow(string? userId = null) => new(true, userId, null, "retry");

    /// <summary>Refuse with <c>403::handshake_denied</c> (or the given error).</summary>
    public static HandshakeDecision Deny(string error = "403::handshake_denied", string reconnect = "none") => new(false, null, error, reconnect);

    /// <summary>No opinion: the next authenticator, or the anonymous rule, decides.</summary>
    public static HandshakeDecision? Abstain => null;
}
