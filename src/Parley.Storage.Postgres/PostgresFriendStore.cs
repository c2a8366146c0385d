using Npgsql;
using Parley.Chat.Friends;
using Parley.Chat.Storage;

namespace Parley.Storage.Postgres;

internal sealed class PostgresFriendStore(PostgresDatabase db) : IFriendStore
{
    private const string RequestColumns = "id, from_user, to_user, note, status, created_at";

    public Task AddRequestAsync(FriendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A second pending request in the same direction violates friend_requests_pending_from
        // and fails the caller with InvalidOperationException, as does a duplicate id.
        return db.RunAsync(s => s.ExecuteAsync(
            $"INSERT INTO friend_requests ({RequestColumns}) VALUES ($1, $2, $3, $4, $5, $6)",
            request.Id, request.From, request.To, request.Note, request.Status, request.CreatedAt), cancellationToken);
    }

    public Task<FriendRequest?> GetRequestAsync(string requestId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.QuerySingleAsync($"SELECT {RequestColumns} FROM friend_requests WHERE id = $1", ReadRequest, requestId), cancellationToken);

    public Task<FriendRequest?> FindPendingRequestAsync(string from, string to, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.QuerySingleAsync(
            $"SELECT {RequestColumns} FROM friend_requests WHERE from_user = $1 AND to_user = $2 AND status = 0",
            ReadRequest, from, to), cancellationToken);

    public async Task<IReadOnlyList<FriendRequest>> ListPendingRequestsAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.RunAsync(s => s.QueryAsync(
            // Two searches of the pending indexes rather than an OR, which would scan one of them whole.
            $"""
            SELECT {RequestColumns}, row_id FROM friend_requests WHERE status = 0 AND from_user = $1
            UNION ALL
            SELECT {RequestColumns}, row_id FROM friend_requests WHERE status = 0 AND to_user = $1 AND from_user <> $1
            ORDER BY created_at, row_id
            """,
            ReadRequest, userId), cancellationToken);

    public Task<bool> CloseRequestAsync(string requestId, FriendRequestStatus status, CancellationToken cancellationToken = default)
    {
        if (status is not (FriendRequestStatus.Declined or FriendRequestStatus.Cancelled))
            throw new ArgumentOutOfRangeException(nameof(status), status, "A request is closed as Declined or Cancelled; accepting is AcceptRequestAsync.");
        return db.RunAsync(
            async s => await s.ExecuteAsync("UPDATE friend_requests SET status = $2 WHERE id = $1 AND status = 0", requestId, status) == 1,
            cancellationToken);
    }

    public Task<bool> AcceptRequestAsync(string requestId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        db.TransactAsync(async s =>
        {
            // Under read committed a concurrent accept waits for this row, then finds it no longer pending.
            var parties = await s.QueryAsync(
                "UPDATE friend_requests SET status = 1 WHERE id = $1 AND status = 0 RETURNING from_user, to_user",
                row => (From: row.GetString(0), To: row.GetString(1)), requestId);
            if (parties.Count == 0)
                return false;
            var (from, to) = parties[0];
            // Friends already (say, through a crossing request) keep their categories and date. Both
            // rows go in lowest user id first, so two crossing accepts wait for each other instead
            // of deadlocking.
            var (low, high) = string.CompareOrdinal(from, to) <= 0 ? (from, to) : (to, from);
            await s.ExecuteAsync(
                """
                INSERT INTO friendships (user_id, friend_id, category_id, since)
                VALUES ($1, $2, NULL, $3), ($2, $1, NULL, $3)
                ON CONFLICT DO NOTHING
                """,
                low, high, at);
            return true;
        }, cancellationToken);

    public Task<bool> RemoveFriendshipAsync(string userId, string friendId, CancellationToken cancellationToken = default) =>
        db.RunAsync(async s => await s.ExecuteAsync(
            "DELETE FROM friendships WHERE (user_id = $1 AND friend_id = $2) OR (user_id = $2 AND friend_id = $1)",
            userId, friendId) > 0, cancellationToken);

    public Task<bool> AreFriendsAsync(string userId, string otherId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ExistsAsync("SELECT 1 FROM friendships WHERE user_id = $1 AND friend_id = $2", userId, otherId), cancellationToken);

    public async Task<IReadOnlyList<Friend>> ListFriendsAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.RunAsync(s => s.QueryAsync(
            """SELECT friend_id, category_id, since FROM friendships WHERE user_id = $1 ORDER BY since, friend_id COLLATE "C" """,
            row => new Friend(row.GetString(0), PostgresRows.NullableString(row, 1), PostgresRows.Time(row, 2)),
            userId), cancellationToken);

    public async Task<IReadOnlyList<Category>> ListCategoriesAsync(string ownerId, CancellationToken cancellationToken = default) =>
        await db.RunAsync(s => s.QueryAsync(
            "SELECT id, owner_id, name, position FROM categories WHERE owner_id = $1 ORDER BY position, row_id",
            row => new Category(row.GetString(0), row.GetString(1), row.GetString(2), row.GetInt32(3)),
            ownerId), cancellationToken);

    public Task AddCategoryAsync(Category category, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(category);
        return db.RunAsync(s => s.ExecuteAsync(
            "INSERT INTO categories (id, owner_id, name, position) VALUES ($1, $2, $3, $4)",
            category.Id, category.OwnerId, category.Name, category.Position), cancellationToken);
    }

    public Task<bool> RenameCategoryAsync(string ownerId, string categoryId, string name, CancellationToken cancellationToken = default) =>
        db.RunAsync(async s => await s.ExecuteAsync(
            "UPDATE categories SET name = $3 WHERE id = $1 AND owner_id = $2",
            categoryId, ownerId, name) == 1, cancellationToken);

    // The foreign key's ON DELETE SET NULL moves the category's friends to no category in the same statement.
    public Task<bool> DeleteCategoryAsync(string ownerId, string categoryId, CancellationToken cancellationToken = default) =>
        db.RunAsync(async s => await s.ExecuteAsync(
            "DELETE FROM categories WHERE id = $1 AND owner_id = $2",
            categoryId, ownerId) == 1, cancellationToken);

    public Task<bool> SetFriendCategoryAsync(string ownerId, string friendId, string? categoryId, CancellationToken cancellationToken = default) =>
        db.RunAsync(async s => await s.ExecuteAsync(
            """
            UPDATE friendships SET category_id = $3::text
            WHERE user_id = $1 AND friend_id = $2
              AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM categories WHERE id = $3::text AND owner_id = $1))
            """,
            ownerId, friendId, categoryId) == 1, cancellationToken);

    public Task BlockAsync(string userId, string blockedId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ExecuteAsync(
            "INSERT INTO blocks (user_id, blocked_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            userId, blockedId, at), cancellationToken);

    public Task<bool> UnblockAsync(string userId, string blockedId, CancellationToken cancellationToken = default) =>
        db.RunAsync(async s => await s.ExecuteAsync(
            "DELETE FROM blocks WHERE user_id = $1 AND blocked_id = $2",
            userId, blockedId) == 1, cancellationToken);

    public Task<bool> IsBlockedAsync(string userId, string blockedId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ExistsAsync("SELECT 1 FROM blocks WHERE user_id = $1 AND blocked_id = $2", userId, blockedId), cancellationToken);

    public async Task<IReadOnlyList<string>> ListBlockedAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.RunAsync(s => s.QueryAsync(
            """SELECT blocked_id FROM blocks WHERE user_id = $1 ORDER BY created_at, blocked_id COLLATE "C" """,
            row => row.GetString(0), userId), cancellationToken);

    private static FriendRequest ReadRequest(NpgsqlDataReader row) => new(
        Id: row.GetString(0),
        From: row.GetString(1),
        To: row.GetString(2),
        Note: row.GetString(3),
        Status: (FriendRequestStatus)row.GetInt16(4),
        CreatedAt: PostgresRows.Time(row, 5));
}
