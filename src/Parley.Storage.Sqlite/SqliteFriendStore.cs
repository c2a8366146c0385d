using Microsoft.Data.Sqlite;
using Parley.Chat.Friends;
using Parley.Chat.Storage;

namespace Parley.Storage.Sqlite;

internal sealed class SqliteFriendStore(SqliteDatabase db) : IFriendStore
{
    private const string RequestColumns = "id, from_user, to_user, note, status, created_at";

    public Task AddRequestAsync(FriendRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A second pending request in the same direction violates friend_requests_pending_from
        // and fails the caller with InvalidOperationException, as does a duplicate id.
        return db.WriteAsync(s => s.Execute(
            $"INSERT INTO friend_requests ({RequestColumns}) VALUES ($id, $from, $to, $note, $status, $at)",
            ("$id", request.Id), ("$from", request.From), ("$to", request.To), ("$note", request.Note),
            ("$status", request.Status), ("$at", request.CreatedAt)), cancellationToken);
    }

    public Task<FriendRequest?> GetRequestAsync(string requestId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.QuerySingle($"SELECT {RequestColumns} FROM friend_requests WHERE id = $id", ReadRequest, ("$id", requestId)), cancellationToken);

    public Task<FriendRequest?> FindPendingRequestAsync(string from, string to, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.QuerySingle(
            $"SELECT {RequestColumns} FROM friend_requests WHERE from_user = $from AND to_user = $to AND status = 0",
            ReadRequest, ("$from", from), ("$to", to)), cancellationToken);

    public async Task<IReadOnlyList<FriendRequest>> ListPendingRequestsAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.ReadAsync(s => s.Query(
            // Two searches of the pending indexes rather than an OR, which would scan one of them whole.
            $"""
            SELECT {RequestColumns}, rowid AS n FROM friend_requests WHERE status = 0 AND from_user = $user
            UNION ALL
            SELECT {RequestColumns}, rowid AS n FROM friend_requests WHERE status = 0 AND to_user = $user AND from_user <> $user
            ORDER BY created_at, n
            """,
            ReadRequest, ("$user", userId)), cancellationToken);

    public Task<bool> CloseRequestAsync(string requestId, FriendRequestStatus status, CancellationToken cancellationToken = default)
    {
        if (status is not (FriendRequestStatus.Declined or FriendRequestStatus.Cancelled))
            throw new ArgumentOutOfRangeException(nameof(status), status, "A request is closed as Declined or Cancelled; accepting is AcceptRequestAsync.");
        return db.WriteAsync(
            s => s.Execute("UPDATE friend_requests SET status = $status WHERE id = $id AND status = 0", ("$id", requestId), ("$status", status)) == 1,
            cancellationToken);
    }

    public Task<bool> AcceptRequestAsync(string requestId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s =>
        {
            var parties = s.Query(
                "UPDATE friend_requests SET status = 1 WHERE id = $id AND status = 0 RETURNING from_user, to_user",
                row => (From: row.GetString(0), To: row.GetString(1)), ("$id", requestId));
            if (parties.Count == 0)
                return false;
            var (from, to) = parties[0];
            // Friends already (say, through a crossing request) keep their categories and date.
            const string befriend = "INSERT INTO friendships (user_id, friend_id, category_id, since) VALUES ($a, $b, NULL, $at) ON CONFLICT DO NOTHING";
            s.Execute(befriend, ("$a", from), ("$b", to), ("$at", at));
            s.Execute(befriend, ("$a", to), ("$b", from), ("$at", at));
            return true;
        }, cancellationToken);

    public Task<bool> RemoveFriendshipAsync(string userId, string friendId, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute(
            "DELETE FROM friendships WHERE (user_id = $a AND friend_id = $b) OR (user_id = $b AND friend_id = $a)",
            ("$a", userId), ("$b", friendId)) > 0, cancellationToken);

    public Task<bool> AreFriendsAsync(string userId, string otherId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.ScalarInt64(
            "SELECT 1 FROM friendships WHERE user_id = $a AND friend_id = $b",
            ("$a", userId), ("$b", otherId)) is not null, cancellationToken);

    public async Task<IReadOnlyList<Friend>> ListFriendsAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.ReadAsync(s => s.Query(
            "SELECT friend_id, category_id, since FROM friendships WHERE user_id = $user ORDER BY since, friend_id",
            row => new Friend(row.GetString(0), SqliteRows.NullableString(row, 1), SqliteRows.Time(row, 2)),
            ("$user", userId)), cancellationToken);

    public async Task<IReadOnlyList<Category>> ListCategoriesAsync(string ownerId, CancellationToken cancellationToken = default) =>
        await db.ReadAsync(s => s.Query(
            "SELECT id, owner_id, name, position FROM categories WHERE owner_id = $owner ORDER BY position, rowid",
            row => new Category(row.GetString(0), row.GetString(1), row.GetString(2), row.GetInt32(3)),
            ("$owner", ownerId)), cancellationToken);

    public Task AddCategoryAsync(Category category, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(category);
        return db.WriteAsync(s => s.Execute(
            "INSERT INTO categories (id, owner_id, name, position) VALUES ($id, $owner, $name, $position)",
            ("$id", category.Id), ("$owner", category.OwnerId), ("$name", category.Name), ("$position", category.Position)), cancellationToken);
    }

    public Task<bool> RenameCategoryAsync(string ownerId, string categoryId, string name, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute(
            "UPDATE categories SET name = $name WHERE id = $id AND owner_id = $owner",
            ("$id", categoryId), ("$owner", ownerId), ("$name", name)) == 1, cancellationToken);

    public Task<bool> DeleteCategoryAsync(string ownerId, string categoryId, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s =>
        {
            if (s.Execute("DELETE FROM categories WHERE id = $id AND owner_id = $owner", ("$id", categoryId), ("$owner", ownerId)) == 0)
                return false;
            // Said here rather than left to ON DELETE SET NULL, so it holds without foreign_keys too.
            s.Execute("UPDATE friendships SET category_id = NULL WHERE category_id = $id", ("$id", categoryId));
            return true;
        }, cancellationToken);

    public Task<bool> SetFriendCategoryAsync(string ownerId, string friendId, string? categoryId, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute(
            """
            UPDATE friendships SET category_id = $category
            WHERE user_id = $owner AND friend_id = $friend
              AND ($category IS NULL OR EXISTS (SELECT 1 FROM categories WHERE id = $category AND owner_id = $owner))
            """,
            ("$owner", ownerId), ("$friend", friendId), ("$category", categoryId)) == 1, cancellationToken);

    public Task BlockAsync(string userId, string blockedId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute(
            "INSERT INTO blocks (user_id, blocked_id, created_at) VALUES ($user, $blocked, $at) ON CONFLICT DO NOTHING",
            ("$user", userId), ("$blocked", blockedId), ("$at", at)), cancellationToken);

    public Task<bool> UnblockAsync(string userId, string blockedId, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute(
            "DELETE FROM blocks WHERE user_id = $user AND blocked_id = $blocked",
            ("$user", userId), ("$blocked", blockedId)) == 1, cancellationToken);

    public Task<bool> IsBlockedAsync(string userId, string blockedId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.ScalarInt64(
            "SELECT 1 FROM blocks WHERE user_id = $user AND blocked_id = $blocked",
            ("$user", userId), ("$blocked", blockedId)) is not null, cancellationToken);

    public async Task<IReadOnlyList<string>> ListBlockedAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.ReadAsync(s => s.Query(
            "SELECT blocked_id FROM blocks WHERE user_id = $user ORDER BY created_at, blocked_id",
            row => row.GetString(0), ("$user", userId)), cancellationToken);

    private static FriendRequest ReadRequest(SqliteDataReader row) => new(
        Id: row.GetString(0),
        From: row.GetString(1),
        To: row.GetString(2),
        Note: row.GetString(3),
        Status: (FriendRequestStatus)row.GetInt32(4),
        CreatedAt: SqliteRows.Time(row, 5));
}
