namespace Parley.Chat.Conversations;

/// <summary>What an append did: the stored message, and whether it was new or an earlier send of the same clientMsgId.</summary>
public sealed record AppendResult(ChatMessage Message, bool Created);
