namespace Parley.Chat.Friends;

/// <summary>An offer of friendship from one user to another, with a note.</summary>
public sealed record FriendRequest(string Id, string From, string To, string Note, FriendRequestStatus Status, DateTimeOffset CreatedAt);
