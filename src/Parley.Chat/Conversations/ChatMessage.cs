namespace Parley.Chat.Conversations;

/// <summary>
/// A persisted message. <see cref="Seq"/> numbers the messages of a conversation 1, 2, 3… in the
/// order the store accepted them; (<see cref="Conversation"/>, <see cref="Seq"/>) identifies a
/// message for de-duplication.
/// </summary>
public sealed record ChatMessage(
    string Conversation,
    long Seq,
    string Id,
    string From,
    string Body,
    MessageKind Kind,
    DateTimeOffset Timestamp,
    string? ClientMsgId,
    string? FileId,
    bool Recalled = false);
