namespace Parley.Chat.Conversations;

/// <summary>Messages after the client's cursors, oldest first per conversation; <see cref="More"/> when the page filled up.</summary>
public sealed record SyncResult(IReadOnlyList<ChatMessage> Messages, bool More);
