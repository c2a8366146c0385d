namespace Parley.Chat.Groups;

/// <summary>A group chat (群).</summary>
public sealed record Group(string Id, string Name, string OwnerId, DateTimeOffset CreatedAt);
