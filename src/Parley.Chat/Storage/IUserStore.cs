using Parley.Chat.Accounts;

namespace Parley.Chat.Storage;

/// <summary>Accounts and their bearer tokens. Usernames arrive normalized (lowercase); lookups are exact.</summary>
public interface IUserStore
{
    /// <summary>Creates a user; false when the username is taken.</summary>
    Task<bool> CreateUserAsync(User user, string passwordHash, CancellationToken cancellationToken = default);

    /// <summary>A user by id, or null.</summary>
    Task<User?> GetUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>A user by (normalized) username, or null.</summary>
    Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken = default);

    /// <summary>The users among <paramref name="userIds"/> that exist, in no particular order.</summary>
    Task<IReadOnlyList<User>> GetUsersAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default);

    /// <summary>Users whose username starts with <paramref name="query"/> or whose display name contains it (case-insensitive for ASCII), by username, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<User>> SearchUsersAsync(string query, int limit, CancellationToken cancellationToken = default);

    /// <summary>The stored password hash, or null for an unknown user.</summary>
    Task<string?> GetPasswordHashAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the password hash.</summary>
    Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken = default);

    /// <summary>Applies the non-null fields; returns the updated user, or null when unknown.</summary>
    Task<User?> UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Records when the user was last online.</summary>
    Task SetLastSeenAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Stores a token's hash (never the token) for a user.</summary>
    Task AddTokenAsync(string tokenHash, string userId, DateTimeOffset createdAt, CancellationToken cancellationToken = default);

    /// <summary>The user a token hash belongs to, or null when unknown or revoked.</summary>
    Task<string?> GetTokenUserAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>Revokes one token.</summary>
    Task RevokeTokenAsync(string tokenHash, CancellationToken cancellationToken = default);

    /// <summary>Revokes every token of a user.</summary>
    Task RevokeAllTokensAsync(string userId, CancellationToken cancellationToken = default);
}
