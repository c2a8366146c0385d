using Parley.Chat.Conversations;

namespace Parley.Chat.Storage;

/// <summary>
/// Messages, numbered per conversation, with each member's read mark. The append is the hot path:
/// implementations must not cost one fsync per message (SQLite batches concurrent appends into one
/// transaction; PostgreSQL groups the flushes of concurrent commits itself).
/// </summary>
public interface IConversationStore
{
    /// <summary>
    /// In one transaction: when the conversation already holds a message from the same sender with
    /// the same non-null <c>ClientMsgId</c>, returns it (<c>Created=false</c>); otherwise stores the
    /// message with <c>Seq</c> = the conversation's last seq + 1, records the members of
    /// <see cref="NewMessage.Members"/> that are not yet members (read mark 0), and returns it.
    /// </summary>
    Task<AppendResult> AppendAsync(NewMessage message, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> messages with seq below <paramref name="beforeSeq"/>, the newest of them, returned oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string conversation, long beforeSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> messages with seq above <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string conversation, long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>A message by its id, or null.</summary>
    Task<ChatMessage?> GetByIdAsync(string messageId, CancellationToken cancellationToken = default);

    /// <summary>Marks a message recalled, empties its body and drops its file (a recalled file is no longer shared); false when it does not exist.</summary>
    Task<bool> RecallAsync(string conversation, long seq, CancellationToken cancellationToken = default);

    /// <summary>Raises the member's read mark to <paramref name="seq"/> (never lowers it, never past the last seq); returns the mark now in force. Adds the member when missing.</summary>
    Task<long> SetReadMarkAsync(string conversation, string userId, long seq, CancellationToken cancellationToken = default);

    /// <summary>The member's read mark (0 when none).</summary>
    Task<long> GetReadMarkAsync(string conversation, string userId, CancellationToken cancellationToken = default);

    /// <summary>The conversations the user is a member of, most recent activity first, with unread counts (messages from others after the read mark).</summary>
    Task<IReadOnlyList<ConversationSummary>> ListConversationsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>True when the user is a member of the conversation.</summary>
    Task<bool> IsMemberAsync(string conversation, string userId, CancellationToken cancellationToken = default);

    /// <summary>True when a file message carrying <paramref name="fileId"/> is in a conversation the user is a member of.</summary>
    Task<bool> IsFileVisibleToAsync(string fileId, string userId, CancellationToken cancellationToken = default);
}
