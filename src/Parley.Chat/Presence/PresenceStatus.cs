namespace Parley.Chat.Presence;

/// <summary>How available a user is. Order matters: the most available of a user's sessions wins.</summary>
public enum PresenceStatus
{
    /// <summary>No session (or invisible, as others see it).</summary>
    Offline = 0,
    /// <summary>Online but hidden: others see offline.</summary>
    Invisible = 1,
    /// <summary>Do not disturb.</summary>
    Busy = 2,
    /// <summary>Away from the keyboard.</summary>
    Away = 3,
    /// <summary>Available.</summary>
    Online = 4,
}
