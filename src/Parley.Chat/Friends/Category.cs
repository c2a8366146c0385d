namespace Parley.Chat.Friends;

/// <summary>A named group of friends on one user's buddy list (分组).</summary>
public sealed record Category(string Id, string OwnerId, string Name, int Position);
