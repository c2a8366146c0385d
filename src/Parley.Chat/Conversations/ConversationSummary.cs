namespace Parley.Chat.Conversations;

/// <summary>One line of a user's conversation list.</summary>
/// <param name="Conversation">The conversation id.</param>
/// <param name="LastSeq">Seq of the newest message (0 when empty).</param>
/// <param name="ReadSeq">The user's read mark.</param>
/// <param name="Unread">Messages from others after the read mark.</param>
/// <param name="LastMessage">The newest message, if any.</param>
public sealed record ConversationSummary(string Conversation, long LastSeq, long ReadSeq, int Unread, ChatMessage? LastMessage);
