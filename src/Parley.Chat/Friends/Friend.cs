namespace Parley.Chat.Friends;

/// <summary>One entry of a user's buddy list: the friend and the category (分组) it is filed under, if any.</summary>
public sealed record Friend(string UserId, string? CategoryId, DateTimeOffset Since);
