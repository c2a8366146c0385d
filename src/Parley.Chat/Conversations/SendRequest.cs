namespace Parley.Chat.Conversations;

/// <summary>A message someone wants to send: to a user or to a group.</summary>
public sealed record SendRequest(string? To, string? Group, string? Body, string? Kind, string? FileId, string? ClientMsgId);
