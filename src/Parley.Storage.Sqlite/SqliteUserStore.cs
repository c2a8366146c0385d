using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Parley.Chat.Accounts;
using Parley.Chat.Storage;

namespace Parley.Storage.Sqlite;

internal sealed class SqliteUserStore(SqliteDatabase db) : IUserStore
{
    private const string UserColumns = "id, username, display_name, status_message, public_presence, created_at, last_seen";

    public Task<bool> CreateUserAsync(User user, string passwordHash, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute(
            $"""
            INSERT INTO users ({UserColumns}, password_hash)
            VALUES ($id, $username, $display, $status, $public, $created, $seen, $hash)
            ON CONFLICT DO NOTHING
            """,
            ("$id", user.Id), ("$username", user.Username), ("$display", user.DisplayName), ("$status", user.StatusMessage),
            ("$public", user.PublicPresence), ("$created", user.CreatedAt), ("$seen", user.LastSeen), ("$hash", passwordHash)) == 1,
            cancellationToken);

    public Task<User?> GetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.QuerySingle($"SELECT {UserColumns} FROM users WHERE id = $id", ReadUser, ("$id", userId)), cancellationToken);

    public Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.QuerySingle($"SELECT {UserColumns} FROM users WHERE username = $u", ReadUser, ("$u", username)), cancellationToken);

    public async Task<IReadOnlyList<User>> GetUsersAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0)
            return [];
        var ids = JsonSerializer.Serialize(userIds);
        return await db.ReadAsync(
            s => s.Query($"SELECT {UserColumns} FROM users WHERE id IN (SELECT value FROM json_each($ids))", ReadUser, ("$ids", ids)),
            cancellationToken);
    }

    public async Task<IReadOnlyList<User>> SearchUsersAsync(string query, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (limit <= 0)
            return [];
        // LIKE is case-insensitive for ASCII only, which is what the contract asks.
        var pattern = EscapeLike(query);
        return await db.ReadAsync(
            s => s.Query(
                $"""
                SELECT {UserColumns} FROM users
                WHERE username LIKE $prefix ESCAPE '\' OR display_name LIKE $contains ESCAPE '\'
                ORDER BY username
                LIMIT $limit
                """,
                ReadUser, ("$prefix", pattern + "%"), ("$contains", "%" + pattern + "%"), ("$limit", limit)),
            cancellationToken);
    }

    public Task<string?> GetPasswordHashAsync(string userId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.ScalarString("SELECT password_hash FROM users WHERE id = $id", ("$id", userId)), cancellationToken);

    public Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute("UPDATE users SET password_hash = $hash WHERE id = $id", ("$id", userId), ("$hash", passwordHash)), cancellationToken);

    public Task<User?> UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return db.WriteAsync(s => s.QuerySingle(
            $"""
            UPDATE users SET
                display_name = coalesce($display, display_name),
                status_message = coalesce($status, status_message),
                public_presence = coalesce($public, public_presence)
            WHERE id = $id
            RETURNING {UserColumns}
            """,
            ReadUser, ("$id", userId), ("$display", update.DisplayName), ("$status", update.StatusMessage), ("$public", update.PublicPresence)),
            cancellationToken);
    }

    public Task SetLastSeenAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute("UPDATE users SET last_seen = $at WHERE id = $id", ("$id", userId), ("$at", at)), cancellationToken);

    public Task AddTokenAsync(string tokenHash, string userId, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute(
            "INSERT INTO tokens (token_hash, user_id, created_at) VALUES ($hash, $user, $at)",
            ("$hash", tokenHash), ("$user", userId), ("$at", createdAt)), cancellationToken);

    public Task<string?> GetTokenUserAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.ScalarString("SELECT user_id FROM tokens WHERE token_hash = $hash", ("$hash", tokenHash)), cancellationToken);

    public Task RevokeTokenAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute("DELETE FROM tokens WHERE token_hash = $hash", ("$hash", tokenHash)), cancellationToken);

    public Task RevokeAllTokensAsync(string userId, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute("DELETE FROM tokens WHERE user_id = $user", ("$user", userId)), cancellationToken);

    private static User ReadUser(SqliteDataReader row) => new(
        Id: row.GetString(0),
        Username: row.GetString(1),
        DisplayName: row.GetString(2),
        StatusMessage: row.GetString(3),
        PublicPresence: row.GetInt64(4) != 0,
        CreatedAt: SqliteRows.Time(row, 5),
        LastSeen: SqliteRows.NullableTime(row, 6));

    private static string EscapeLike(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '%' or '_' or '\\')
                escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
