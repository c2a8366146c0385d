using System.Text;
using Npgsql;
using Parley.Chat.Accounts;
using Parley.Chat.Storage;

namespace Parley.Storage.Postgres;

internal sealed class PostgresUserStore(PostgresDatabase db) : IUserStore
{
    private const string UserColumns = "id, username, display_name, status_message, public_presence, created_at, last_seen";

    public Task<bool> CreateUserAsync(User user, string passwordHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        // No conflict target: a taken id and a taken username (in any case) both answer false.
        return db.RunAsync(async s => await s.ExecuteAsync(
            $"""
            INSERT INTO users ({UserColumns}, password_hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            ON CONFLICT DO NOTHING
            """,
            user.Id, user.Username, user.DisplayName, user.StatusMessage, user.PublicPresence, user.CreatedAt, user.LastSeen, passwordHash) == 1,
            cancellationToken);
    }

    public Task<User?> GetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.QuerySingleAsync($"SELECT {UserColumns} FROM users WHERE id = $1", ReadUser, userId), cancellationToken);

    public Task<User?> FindByUsernameAsync(string username, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.QuerySingleAsync($"SELECT {UserColumns} FROM users WHERE lower(username) = lower($1)", ReadUser, username), cancellationToken);

    public async Task<IReadOnlyList<User>> GetUsersAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0)
            return [];
        // One text[] parameter: boxed, so that params does not spread the array into many.
        object ids = userIds.ToArray();
        return await db.RunAsync(s => s.QueryAsync($"SELECT {UserColumns} FROM users WHERE id = ANY($1)", ReadUser, ids), cancellationToken);
    }

    public async Task<IReadOnlyList<User>> SearchUsersAsync(string query, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (limit <= 0)
            return [];
        // ILIKE ignores ASCII case whatever the database's locale (more, under a Unicode one).
        var pattern = EscapeLike(query);
        return await db.RunAsync(
            s => s.QueryAsync(
                $"""
                SELECT {UserColumns} FROM users
                WHERE username ILIKE $1 ESCAPE '\' OR display_name ILIKE $2 ESCAPE '\'
                ORDER BY username COLLATE "C"
                LIMIT $3
                """,
                ReadUser, pattern + "%", "%" + pattern + "%", limit),
            cancellationToken);
    }

    public Task<string?> GetPasswordHashAsync(string userId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ScalarAsync<string>("SELECT password_hash FROM users WHERE id = $1", userId), cancellationToken);

    public Task SetPasswordHashAsync(string userId, string passwordHash, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ExecuteAsync("UPDATE users SET password_hash = $2 WHERE id = $1", userId, passwordHash), cancellationToken);

    public Task<User?> UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return db.RunAsync(s => s.QuerySingleAsync(
            $"""
            UPDATE users SET
                display_name = coalesce($2::text, display_name),
                status_message = coalesce($3::text, status_message),
                public_presence = coalesce($4::boolean, public_presence)
            WHERE id = $1
            RETURNING {UserColumns}
            """,
            ReadUser, userId, update.DisplayName, update.StatusMessage, update.PublicPresence),
            cancellationToken);
    }

    public Task SetLastSeenAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ExecuteAsync("UPDATE users SET last_seen = $2 WHERE id = $1", userId, at), cancellationToken);

    public Task AddTokenAsync(string tokenHash, string userId, DateTimeOffset createdAt, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ExecuteAsync(
            "INSERT INTO tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
            tokenHash, userId, createdAt), cancellationToken);

    public Task<string?> GetTokenUserAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ScalarAsync<string>("SELECT user_id FROM tokens WHERE token_hash = $1", tokenHash), cancellationToken);

    public Task RevokeTokenAsync(string tokenHash, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ExecuteAsync("DELETE FROM tokens WHERE token_hash = $1", tokenHash), cancellationToken);

    public Task RevokeAllTokensAsync(string userId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ExecuteAsync("DELETE FROM tokens WHERE user_id = $1", userId), cancellationToken);

    private static User ReadUser(NpgsqlDataReader row) => new(
        Id: row.GetString(0),
        Username: row.GetString(1),
        DisplayName: row.GetString(2),
        StatusMessage: row.GetString(3),
        PublicPresence: row.GetBoolean(4),
        CreatedAt: PostgresRows.Time(row, 5),
        LastSeen: PostgresRows.NullableTime(row, 6));

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
