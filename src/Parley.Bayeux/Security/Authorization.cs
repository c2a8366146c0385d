namespace Parley.Bayeux.Security;

/// <summary>An authorizer's verdict.</summary>
public enum Authorization
{
    /// <summary>No opinion: other authorizers (or the open-channel rule) decide.</summary>
    Ignore,
    /// <summary>Allowed, unless another authorizer denies.</summary>
    Grant,
    /// <summary>Refused, whatever the others say.</summary>
    Deny,
}
