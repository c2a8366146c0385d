namespace Parley.Bayeux.Security;

/// <summary>What a session wants to do with a channel.</summary>
public enum ChannelOperation
{
    /// <summary>Subscribe to it.</summary>
    Subscribe,
    /// <summary>Publish to it.</summary>
    Publish,
}
