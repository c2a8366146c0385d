namespace Parley.Chat.Accounts;

/// <summary>A person with an account. <see cref="Username"/> is unique, case-insensitively.</summary>
public sealed record User(
    string Id,
    string Username,
    string DisplayName,
    string StatusMessage,
    bool PublicPresence,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSeen = null);
