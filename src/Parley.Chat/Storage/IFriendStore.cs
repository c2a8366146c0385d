using Parley.Chat.Friends;

namespace Parley.Chat.Storage;

/// <summary>Friend requests, friendships (stored in both directions), categories and blocks.</summary>
public interface IFriendStore
{
    /// <summary>Stores a new pending request.</summary>
    Task AddRequestAsync(FriendRequest request, CancellationToken cancellationToken = default);

    /// <summary>A request by id, or null.</summary>
    Task<FriendRequest?> GetRequestAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>The pending request from one user to another, or null.</summary>
    Task<FriendRequest?> FindPendingRequestAsync(string from, string to, CancellationToken cancellationToken = default);

    /// <summary>Pending requests sent to or by the user, oldest first.</summary>
    Task<IReadOnlyList<FriendRequest>> ListPendingRequestsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Moves a pending request to Declined or Cancelled; false when it is no longer pending.</summary>
    Task<bool> CloseRequestAsync(string requestId, FriendRequestStatus status, CancellationToken cancellationToken = default);

    /// <summary>In one transaction: a pending request becomes Accepted and its two users become friends. False when it is no longer pending.</summary>
    Task<bool> AcceptRequestAsync(string requestId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Ends a friendship in both directions; false when there was none.</summary>
    Task<bool> RemoveFriendshipAsync(string userId, string friendId, CancellationToken cancellationToken = default);

    /// <summary>True when the two are friends.</summary>
    Task<bool> AreFriendsAsync(string userId, string otherId, CancellationToken cancellationToken = default);

    /// <summary>The user's friends.</summary>
    Task<IReadOnlyList<Friend>> ListFriendsAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The user's categories, by position.</summary>
    Task<IReadOnlyList<Category>> ListCategoriesAsync(string ownerId, CancellationToken cancellationToken = default);

    /// <summary>Adds a category.</summary>
    Task AddCategoryAsync(Category category, CancellationToken cancellationToken = default);

    /// <summary>Renames one of the owner's categories; false when it is not theirs.</summary>
    Task<bool> RenameCategoryAsync(string ownerId, string categoryId, string name, CancellationToken cancellationToken = default);

    /// <summary>Deletes one of the owner's categories; its friends move to no category. False when it is not theirs.</summary>
    Task<bool> DeleteCategoryAsync(string ownerId, string categoryId, CancellationToken cancellationToken = default);

    /// <summary>Files a friend under a category of the owner's (or none); false when not friends or not the owner's category.</summary>
    Task<bool> SetFriendCategoryAsync(string ownerId, string friendId, string? categoryId, CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="userId"/> blocks <paramref name="blockedId"/> (idempotent).</summary>
    Task BlockAsync(string userId, string blockedId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Removes a block; false when there was none.</summary>
    Task<bool> UnblockAsync(string userId, string blockedId, CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="userId"/> has blocked <paramref name="blockedId"/>.</summary>
    Task<bool> IsBlockedAsync(string userId, string blockedId, CancellationToken cancellationToken = default);

    /// <summary>The users <paramref name="userId"/> has blocked.</summary>
    Task<IReadOnlyList<string>> ListBlockedAsync(string userId, CancellationToken cancellationToken = default);
}
