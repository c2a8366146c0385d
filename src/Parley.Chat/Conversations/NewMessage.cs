namespace Parley.Chat.Conversations;

/// <summary>A message to append; the store assigns its <c>Seq</c>.</summary>
/// <param name="Members">The conversation's members, recorded the first time the conversation is used (read marks, listing).</param>
public sealed record NewMessage(
    string Conversation,
    string Id,
    string From,
    string Body,
    MessageKind Kind,
    DateTimeOffset Timestamp,
    string? ClientMsgId,
    string? FileId,
    IReadOnlyList<string> Members);
