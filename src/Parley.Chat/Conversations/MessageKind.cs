namespace Parley.Chat.Conversations;

/// <summary>What a message carries.</summary>
public enum MessageKind
{
    /// <summary>Text.</summary>
    Text,
    /// <summary>A file (<see cref="ChatMessage.FileId"/>), with the body as its caption.</summary>
    File,
    /// <summary>A notice from the system.</summary>
    System,
}
