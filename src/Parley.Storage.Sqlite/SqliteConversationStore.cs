using System.Text.Json;
using Parley.Chat.Conversations;
using Parley.Chat.Storage;

namespace Parley.Storage.Sqlite;

internal sealed class SqliteConversationStore(SqliteDatabase db) : IConversationStore
{
    public Task<AppendResult> AppendAsync(NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var members = JsonSerializer.Serialize(message.Members ?? []);
        return db.WriteAsync(s => Append(s, message, members), cancellationToken);
    }

    public async Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string conversation, long beforeSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
            return [];
        var page = await db.ReadAsync(s => s.Query(
            $"""
            SELECT {SqliteRows.MessageColumns} FROM messages m
            WHERE m.conversation = $conv AND m.seq < $before
            ORDER BY m.seq DESC
            LIMIT $limit
            """,
            row => SqliteRows.Message(row), ("$conv", conversation), ("$before", beforeSeq), ("$limit", limit)), cancellationToken);
        page.Reverse();
        return page;
    }

    public async Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string conversation, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
            return [];
        return await db.ReadAsync(s => s.Query(
            $"""
            SELECT {SqliteRows.MessageColumns} FROM messages m
            WHERE m.conversation = $conv AND m.seq > $after
            ORDER BY m.seq
            LIMIT $limit
            """,
            row => SqliteRows.Message(row), ("$conv", conversation), ("$after", afterSeq), ("$limit", limit)), cancellationToken);
    }

    public Task<ChatMessage?> GetByIdAsync(string messageId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.QuerySingle(
            $"SELECT {SqliteRows.MessageColumns} FROM messages m WHERE m.id = $id",
            row => SqliteRows.Message(row), ("$id", messageId)), cancellationToken);

    public Task<bool> RecallAsync(string conversation, long seq, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute(
            "UPDATE messages SET recalled = 1, body = '', file_id = NULL WHERE conversation = $conv AND seq = $seq",
            ("$conv", conversation), ("$seq", seq)) == 1, cancellationToken);

    public Task<long> SetReadMarkAsync(string conversation, string userId, long seq, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s =>
        {
            var last = EnsureConversation(s, conversation);
            var mark = Math.Clamp(seq, 0, last);
            return s.ScalarInt64(
                """
                INSERT INTO conversation_members (conversation, user_id, read_seq) VALUES ($conv, $user, $mark)
                ON CONFLICT (conversation, user_id) DO UPDATE SET read_seq = max(read_seq, excluded.read_seq)
                RETURNING read_seq
                """,
                ("$conv", conversation), ("$user", userId), ("$mark", mark)) ?? mark;
        }, cancellationToken);

    public Task<long> GetReadMarkAsync(string conversation, string userId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.ScalarInt64(
            "SELECT read_seq FROM conversation_members WHERE conversation = $conv AND user_id = $user",
            ("$conv", conversation), ("$user", userId)) ?? 0, cancellationToken);

    public async Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.ReadAsync(s => s.Query(
            $"""
            SELECT cm.conversation, c.last_seq, cm.read_seq,
                   (SELECT count(*) FROM messages u
                    WHERE u.conversation = cm.conversation AND u.seq > cm.read_seq AND u.sender <> cm.user_id AND u.recalled = 0),
                   m.row IS NOT NULL,
                   {SqliteRows.MessageColumns}
            FROM conversation_members cm
            JOIN conversations c ON c.id = cm.conversation
            LEFT JOIN messages m ON m.conversation = cm.conversation AND m.seq = c.last_seq
            WHERE cm.user_id = $user
            ORDER BY m.ts DESC NULLS LAST, m.row DESC, cm.rowid DESC
            """,
            row => new ConversationSummary(
                Conversation: row.GetString(0),
                LastSeq: row.GetInt64(1),
                ReadSeq: row.GetInt64(2),
                Unread: row.GetInt32(3),
                LastMessage: row.GetInt64(4) != 0 ? SqliteRows.Message(row, 5) : null),
            ("$user", userId)), cancellationToken);

    public Task<bool> IsMemberAsync(string conversation, string userId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.ScalarInt64(
            "SELECT 1 FROM conversation_members WHERE conversation = $conv AND user_id = $user",
            ("$conv", conversation), ("$user", userId)) is not null, cancellationToken);

    public Task<bool> IsFileVisibleToAsync(string fileId, string userId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.ScalarInt64(
            """
            SELECT 1 FROM messages m
            JOIN conversation_members cm ON cm.conversation = m.conversation AND cm.user_id = $user
            WHERE m.file_id = $file
            LIMIT 1
            """,
            ("$file", fileId), ("$user", userId)) is not null, cancellationToken);

    /// <summary>Creates the conversation row when missing; returns its last seq.</summary>
    internal static long EnsureConversation(SqliteSession s, string conversation)
    {
        s.Execute("INSERT INTO conversations (id, last_seq) VALUES ($conv, 0) ON CONFLICT DO NOTHING", ("$conv", conversation));
        return s.ScalarInt64("SELECT last_seq FROM conversations WHERE id = $conv", ("$conv", conversation)) ?? 0;
    }

    private static AppendResult Append(SqliteSession s, NewMessage message, string members)
    {
        if (message.ClientMsgId is not null)
        {
            var earlier = s.QuerySingle(
                $"""
                SELECT {SqliteRows.MessageColumns} FROM messages m
                WHERE m.conversation = $conv AND m.sender = $from AND m.client_msg_id = $client
                """,
                row => SqliteRows.Message(row), ("$conv", message.Conversation), ("$from", message.From), ("$client", message.ClientMsgId));
            if (earlier is not null)
                return new AppendResult(earlier, Created: false);
        }

        // The counter lives on the conversation row: the writer is the only writer, and the
        // savepoint undoes the increment if anything below fails, so seqs never have gaps.
        var seq = s.ScalarInt64(
            """
            INSERT INTO conversations (id, last_seq) VALUES ($conv, 1)
            ON CONFLICT (id) DO UPDATE SET last_seq = last_seq + 1
            RETURNING last_seq
            """,
            ("$conv", message.Conversation)) ?? throw new InvalidOperationException("The conversation counter returned no row.");

        s.Execute(
            """
            INSERT INTO messages (conversation, seq, id, sender, body, kind, ts, client_msg_id, file_id, recalled)
            VALUES ($conv, $seq, $id, $from, $body, $kind, $ts, $client, $file, 0)
            """,
            ("$conv", message.Conversation), ("$seq", seq), ("$id", message.Id), ("$from", message.From), ("$body", message.Body),
            ("$kind", message.Kind), ("$ts", message.Timestamp), ("$client", message.ClientMsgId), ("$file", message.FileId));

        s.Execute(
            """
            INSERT INTO conversation_members (conversation, user_id, read_seq)
            SELECT $conv, value, 0 FROM json_each($members) WHERE true
            ON CONFLICT DO NOTHING
            """,
            ("$conv", message.Conversation), ("$members", members));

        var stored = new ChatMessage(
            message.Conversation, seq, message.Id, message.From, message.Body, message.Kind,
            // What a later read returns: the store keeps milliseconds, in UTC.
            DateTimeOffset.FromUnixTimeMilliseconds(message.Timestamp.ToUnixTimeMilliseconds()),
            message.ClientMsgId, message.FileId);
        return new AppendResult(stored, Created: true);
    }
}
