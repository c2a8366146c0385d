namespace Parley.Chat.Groups;

/// <summary>A member's role. Higher values may do more.</summary>
public enum GroupRole
{
    /// <summary>Reads and writes.</summary>
    Member = 0,
    /// <summary>Also adds and removes members.</summary>
    Admin = 1,
    /// <summary>Also renames, appoints admins, and cannot be removed.</summary>
    Owner = 2,
}
