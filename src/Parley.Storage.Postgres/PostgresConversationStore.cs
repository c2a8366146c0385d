using Parley.Chat.Conversations;
using Parley.Chat.Storage;

namespace Parley.Storage.Postgres;

internal sealed class PostgresConversationStore(PostgresDatabase db) : IConversationStore
{
    // The counter goes first: the row lock it takes queues every other append to the conversation
    // (from any node) until this transaction ends, so the statements after it see every message
    // committed before, and nobody else can add one meanwhile.
    private const string NextSeq =
        """
        INSERT INTO conversations (id, last_seq) VALUES ($1, 1)
        ON CONFLICT (id) DO UPDATE SET last_seq = conversations.last_seq + 1
        RETURNING last_seq
        """;

    private const string FindEarlier =
        $"""
        SELECT {PostgresRows.MessageColumns} FROM messages m
        WHERE m.conversation = $1 AND m.sender = $2 AND m.client_msg_id = $3
        """;

    // Inserts nothing when the idempotency key is taken; a NULL client_msg_id never matches.
    private const string InsertMessage =
        """
        INSERT INTO messages (conversation, seq, id, sender, body, kind, ts, client_msg_id, file_id)
        SELECT $1, c.last_seq, $2, $3, $4, $5, $6, $7::text, $8::text
        FROM conversations c
        WHERE c.id = $1
          AND NOT EXISTS (SELECT 1 FROM messages d WHERE d.conversation = $1 AND d.sender = $3 AND d.client_msg_id = $7::text)
        RETURNING seq
        """;

    private const string AddMembers =
        """
        INSERT INTO conversation_members (conversation, user_id, read_seq)
        SELECT $1, u, 0 FROM unnest($2::text[]) AS u
        ON CONFLICT DO NOTHING
        """;

    private const string EnsureConversationSql = "INSERT INTO conversations (id, last_seq) VALUES ($1, 0) ON CONFLICT DO NOTHING";

    public Task<AppendResult> AppendAsync(NewMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        string[] members = [.. message.Members ?? []];
        return db.TransactAsync(s => AppendAsync(s, message, members), cancellationToken);
    }

    public async Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string conversation, long beforeSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
            return [];
        var page = await db.RunAsync(s => s.QueryAsync(
            $"""
            SELECT {PostgresRows.MessageColumns} FROM messages m
            WHERE m.conversation = $1 AND m.seq < $2
            ORDER BY m.seq DESC
            LIMIT $3
            """,
            row => PostgresRows.Message(row), conversation, beforeSeq, limit), cancellationToken);
        page.Reverse();
        return page;
    }

    public async Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string conversation, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        if (limit <= 0)
            return [];
        return await db.RunAsync(s => s.QueryAsync(
            $"""
            SELECT {PostgresRows.MessageColumns} FROM messages m
            WHERE m.conversation = $1 AND m.seq > $2
            ORDER BY m.seq
            LIMIT $3
            """,
            row => PostgresRows.Message(row), conversation, afterSeq, limit), cancellationToken);
    }

    public Task<ChatMessage?> GetByIdAsync(string messageId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.QuerySingleAsync(
            $"SELECT {PostgresRows.MessageColumns} FROM messages m WHERE m.id = $1",
            row => PostgresRows.Message(row), messageId), cancellationToken);

    public Task<bool> RecallAsync(string conversation, long seq, CancellationToken cancellationToken = default) =>
        db.RunAsync(async s => await s.ExecuteAsync(
            "UPDATE messages SET recalled = true, body = '', file_id = NULL WHERE conversation = $1 AND seq = $2",
            conversation, seq) == 1, cancellationToken);

    public Task<long> SetReadMarkAsync(string conversation, string userId, long seq, CancellationToken cancellationToken = default) =>
        db.RunAsync(async s =>
        {
            // One round trip, one implicit transaction: the conversation row exists before the
            // member row that references it, and the mark is clamped to the last seq.
            await using var batch = s.Batch(
                (EnsureConversationSql, [conversation]),
                ("""
                INSERT INTO conversation_members (conversation, user_id, read_seq)
                SELECT c.id, $2, LEAST(GREATEST($3, 0), c.last_seq) FROM conversations c WHERE c.id = $1
                ON CONFLICT (conversation, user_id) DO UPDATE SET read_seq = GREATEST(conversation_members.read_seq, excluded.read_seq)
                RETURNING read_seq
                """, [conversation, userId, seq]));
            await using var reader = await batch.ExecuteReaderAsync(s.CancellationToken);
            var mark = await reader.ReadAsync(s.CancellationToken) ? reader.GetInt64(0) : 0;
            while (await reader.NextResultAsync(s.CancellationToken))
            {
            }
            return mark;
        }, cancellationToken);

    public Task<long> GetReadMarkAsync(string conversation, string userId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ScalarAsync<long>(
            "SELECT read_seq FROM conversation_members WHERE conversation = $1 AND user_id = $2",
            conversation, userId), cancellationToken);

    public async Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.RunAsync(s => s.QueryAsync(
            $"""
            SELECT cm.conversation, c.last_seq, cm.read_seq,
                   (SELECT count(*) FROM messages u
                    WHERE u.conversation = cm.conversation AND u.seq > cm.read_seq AND u.sender <> cm.user_id AND NOT u.recalled)::integer,
                   m.seq IS NOT NULL,
                   {PostgresRows.MessageColumns}
            FROM conversation_members cm
            JOIN conversations c ON c.id = cm.conversation
            LEFT JOIN messages m ON m.conversation = cm.conversation AND m.seq = c.last_seq
            WHERE cm.user_id = $1
            ORDER BY m.ts DESC NULLS LAST, m.row_id DESC, cm.row_id DESC
            """,
            row => new ConversationSummary(
                Conversation: row.GetString(0),
                LastSeq: row.GetInt64(1),
                ReadSeq: row.GetInt64(2),
                Unread: row.GetInt32(3),
                LastMessage: row.GetBoolean(4) ? PostgresRows.Message(row, 5) : null),
            userId), cancellationToken);

    public Task<bool> IsMemberAsync(string conversation, string userId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ExistsAsync(
            "SELECT 1 FROM conversation_members WHERE conversation = $1 AND user_id = $2",
            conversation, userId), cancellationToken);

    public Task<bool> IsFileVisibleToAsync(string fileId, string userId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.ExistsAsync(
            """
            SELECT 1 FROM messages m
            JOIN conversation_members cm ON cm.conversation = m.conversation AND cm.user_id = $2
            WHERE m.file_id = $1
            LIMIT 1
            """,
            fileId, userId), cancellationToken);

    /// <summary>Creates the conversation row when missing; returns its last seq.</summary>
    internal static async Task<long> EnsureConversationAsync(PostgresSession s, string conversation)
    {
        await s.ExecuteAsync(EnsureConversationSql, conversation);
        return await s.ScalarAsync<long>("SELECT last_seq FROM conversations WHERE id = $1", conversation);
    }

    private static async Task<AppendResult> AppendAsync(PostgresSession s, NewMessage message, string[] members)
    {
        var conversation = message.Conversation;
        var retry = message.ClientMsgId is not null;
        // All four statements in one round trip; each still runs after the one before it, with
        // the counter's row lock held. The commit is the second round trip.
        await using var batch = retry
            ? s.Batch(
                (NextSeq, [conversation]),
                (FindEarlier, [conversation, message.From, message.ClientMsgId]),
                (InsertMessage, Insert(message)),
                (AddMembers, [conversation, members]))
            : s.Batch(
                (NextSeq, [conversation]),
                (InsertMessage, Insert(message)),
                (AddMembers, [conversation, members]));

        ChatMessage? earlier = null;
        long? seq = null;
        await using (var reader = await batch.ExecuteReaderAsync(s.CancellationToken))
        {
            await reader.ReadAsync(s.CancellationToken); // the counter
            if (retry)
            {
                await reader.NextResultAsync(s.CancellationToken);
                if (await reader.ReadAsync(s.CancellationToken))
                    earlier = PostgresRows.Message(reader);
            }
            await reader.NextResultAsync(s.CancellationToken);
            if (await reader.ReadAsync(s.CancellationToken))
                seq = reader.GetInt64(0);
            // Reading on to the end surfaces an error of any later statement.
            while (await reader.NextResultAsync(s.CancellationToken))
            {
            }
        }

        if (earlier is not null)
        {
            // A retry: undo the counter's increment, so the numbering has no gap.
            await s.RollbackAsync();
            return new AppendResult(earlier, Created: false);
        }

        var stored = new ChatMessage(
            conversation,
            seq ?? throw new InvalidOperationException("The message was neither stored nor found."),
            message.Id, message.From, message.Body, message.Kind,
            // What a later read returns: the store keeps milliseconds, in UTC.
            PostgresRows.Milliseconds(message.Timestamp),
            message.ClientMsgId, message.FileId);
        return new AppendResult(stored, Created: true);
    }

    private static object?[] Insert(NewMessage message) =>
        [message.Conversation, message.Id, message.From, message.Body, message.Kind, message.Timestamp, message.ClientMsgId, message.FileId];
}
