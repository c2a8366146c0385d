namespace Parley.Chat.Notifications;

/// <summary>What a file message shows of its file: the sanitized name, the size in bytes, the detected type.</summary>
public sealed record FileDetails(string Name, long Size, string ContentType);
