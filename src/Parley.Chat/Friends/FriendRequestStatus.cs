namespace Parley.Chat.Friends;

/// <summary>Where a friend request stands.</summary>
public enum FriendRequestStatus
{
    /// <summary>Waiting for the recipient.</summary>
    Pending,
    /// <summary>Accepted: the two are friends.</summary>
    Accepted,
    /// <summary>Declined by the recipient.</summary>
    Declined,
    /// <summary>Withdrawn by the sender.</summary>
    Cancelled,
}
