using Parley.Chat.Accounts;
using Parley.Chat.Notifications;
using Parley.Chat.Storage;

namespace Parley.Chat.Friends;

/// <summary>The buddy list: requests, friendships, categories (分组), blocks.</summary>
public sealed class FriendService(IChatStore store, AccountService accounts, IChatNotifier notifier, TimeProvider time)
{
    private const int MaxNote = 200;
    private const int MaxCategories = 50;

    /// <summary>Raised when two users become friends or stop being friends (presence listens).</summary>
    public event Func<string, string, bool, ValueTask>? FriendshipChanged;

    /// <summary>Sends a friend request to a user (by username or id). If that user already asked the sender, they simply become friends.</summary>
    public async Task<FriendRequest> RequestAsync(string fromId, string? to, string? note, CancellationToken cancellationToken = default)
    {
        var target = await accounts.ResolveAsync(to, cancellationToken) ?? throw ChatException.NotFound("user_not_found", "No such user.");
        if (target.Id == fromId)
            throw ChatException.Invalid("cannot_befriend_self", "You cannot befriend yourself.");
        var text = (note ?? "").Trim();
        if (text.Length > MaxNote || text.Any(char.IsControl))
            throw ChatException.Invalid("note_invalid", "A note is at most 200 characters without control characters.");
        if (await store.Friends.AreFriendsAsync(fromId, target.Id, cancellationToken))
            throw ChatException.Conflict("already_friends", "You are already friends.");
        if (await store.Friends.IsBlockedAsync(target.Id, fromId, cancellationToken) || await store.Friends.IsBlockedAsync(fromId, target.Id, cancellationToken))
            throw ChatException.Forbidden("blocked", "You cannot send this user a friend request.");
        if (await store.Friends.FindPendingRequestAsync(fromId, target.Id, cancellationToken) is not null)
            throw ChatException.Conflict("request_pending", "A request to this user is already pending.");
        if (await store.Friends.FindPendingRequestAsync(target.Id, fromId, cancellationToken) is { } theirs)
        {
            await AcceptAsync(fromId, theirs.Id, cancellationToken);
            return theirs with { Status = FriendRequestStatus.Accepted };
        }
        var request = new FriendRequest(Ids.New(), fromId, target.Id, text, FriendRequestStatus.Pending, time.GetUtcNow());
        await store.Friends.AddRequestAsync(request, cancellationToken);
        var from = await accounts.GetUserAsync(fromId, cancellationToken);
        await notifier.ToUserAsync(target.Id, new FriendRequestEvent(request.Id, fromId, from.Username, from.DisplayName, text, request.CreatedAt.ToUnixTimeMilliseconds()), cancellationToken);
        return request;
    }

    /// <summary>Pending requests to and from the user.</summary>
    public Task<IReadOnlyList<FriendRequest>> PendingAsync(string userId, CancellationToken cancellationToken = default) =>
        store.Friends.ListPendingRequestsAsync(userId, cancellationToken);

    /// <summary>The recipient accepts a request: the two become friends and both hear of it.</summary>
    public async Task AcceptAsync(string userId, string requestId, CancellationToken cancellationToken = default)
    {
        var request = await PendingRequestAsync(requestId, cancellationToken);
        if (request.To != userId)
            throw ChatException.Forbidden("not_recipient", "Only the recipient can accept a request.");
        if (!await store.Friends.AcceptRequestAsync(requestId, time.GetUtcNow(), cancellationToken))
            throw ChatException.Conflict("request_closed", "The request is no longer pending.");
        var accepter = await accounts.GetUserAsync(request.To, cancellationToken);
        var requester = await accounts.GetUserAsync(request.From, cancellationToken);
        await notifier.ToUserAsync(request.From, new FriendAcceptedEvent(request.Id, accepter.Id, accepter.Username, accepter.DisplayName), cancellationToken);
        await notifier.ToUserAsync(request.To, new FriendAcceptedEvent(request.Id, requester.Id, requester.Username, requester.DisplayName), cancellationToken);
        await RaiseAsync(request.From, request.To, true);
    }

    /// <summary>The recipient declines a request.</summary>
    public Task DeclineAsync(string userId, string requestId, CancellationToken cancellationToken = default) =>
        CloseAsync(userId, requestId, FriendRequestStatus.Declined, cancellationToken);

    /// <summary>The sender withdraws a request.</summary>
    public Task CancelAsync(string userId, string requestId, CancellationToken cancellationToken = default) =>
        CloseAsync(userId, requestId, FriendRequestStatus.Cancelled, cancellationToken);

    /// <summary>The user's friends with their profiles.</summary>
    public async Task<IReadOnlyList<(Friend Friend, User User)>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        var friends = await store.Friends.ListFriendsAsync(userId, cancellationToken);
        var users = (await store.Users.GetUsersAsync([.. friends.Select(f => f.UserId)], cancellationToken)).ToDictionary(u => u.Id);
        return [.. friends.Where(f => users.ContainsKey(f.UserId)).Select(f => (f, users[f.UserId])).OrderBy(p => p.Item2.DisplayName, StringComparer.CurrentCulture)];
    }

    /// <summary>Ends a friendship; the other side hears of it.</summary>
    public async Task RemoveAsync(string userId, string friendId, CancellationToken cancellationToken = default)
    {
        if (!await store.Friends.RemoveFriendshipAsync(userId, friendId, cancellationToken))
            throw ChatException.NotFound("not_friends", "You are not friends.");
        await notifier.ToUserAsync(friendId, new FriendRemovedEvent(userId), cancellationToken);
        await notifier.ToUserAsync(userId, new FriendRemovedEvent(friendId), cancellationToken);
        await RaiseAsync(userId, friendId, false);
    }

    /// <summary>True when the two are friends.</summary>
    public Task<bool> AreFriendsAsync(string a, string b, CancellationToken cancellationToken = default) =>
        store.Friends.AreFriendsAsync(a, b, cancellationToken);

    /// <summary>The user's categories.</summary>
    public Task<IReadOnlyList<Category>> CategoriesAsync(string userId, CancellationToken cancellationToken = default) =>
        store.Friends.ListCategoriesAsync(userId, cancellationToken);

    /// <summary>Creates a category at the end of the list.</summary>
    public async Task<Category> CreateCategoryAsync(string userId, string? name, CancellationToken cancellationToken = default)
    {
        var clean = Names.CleanDisplayName(name);
        var existing = await store.Friends.ListCategoriesAsync(userId, cancellationToken);
        if (existing.Count >= MaxCategories)
            throw ChatException.Conflict("too_many_categories", "At most 50 categories.");
        var category = new Category(Ids.New(), userId, clean, existing.Count == 0 ? 0 : existing.Max(c => c.Position) + 1);
        await store.Friends.AddCategoryAsync(category, cancellationToken);
        return category;
    }

    /// <summary>Renames one of the user's categories.</summary>
    public async Task RenameCategoryAsync(string userId, string categoryId, string? name, CancellationToken cancellationToken = default)
    {
        if (!await store.Friends.RenameCategoryAsync(userId, categoryId, Names.CleanDisplayName(name), cancellationToken))
            throw ChatException.NotFound("category_not_found", "No such category.");
    }

    /// <summary>Deletes one of the user's categories; its friends stay, uncategorized.</summary>
    public async Task DeleteCategoryAsync(string userId, string categoryId, CancellationToken cancellationToken = default)
    {
        if (!await store.Friends.DeleteCategoryAsync(userId, categoryId, cancellationToken))
            throw ChatException.NotFound("category_not_found", "No such category.");
    }

    /// <summary>Files a friend under a category (or none).</summary>
    public async Task MoveAsync(string userId, string friendId, string? categoryId, CancellationToken cancellationToken = default)
    {
        if (!await store.Friends.SetFriendCategoryAsync(userId, friendId, string.IsNullOrEmpty(categoryId) ? null : categoryId, cancellationToken))
            throw ChatException.NotFound("not_found", "No such friend or category.");
    }

    /// <summary>Blocks a user: they can no longer message the blocker or see their presence.</summary>
    public async Task BlockAsync(string userId, string blockedId, CancellationToken cancellationToken = default)
    {
        if (userId == blockedId)
            throw ChatException.Invalid("cannot_block_self", "You cannot block yourself.");
        _ = await accounts.GetUserAsync(blockedId, cancellationToken);
        await store.Friends.BlockAsync(userId, blockedId, time.GetUtcNow(), cancellationToken);
        await RaiseAsync(userId, blockedId, false);
    }

    /// <summary>Lifts a block.</summary>
    public async Task UnblockAsync(string userId, string blockedId, CancellationToken cancellationToken = default)
    {
        if (!await store.Friends.UnblockAsync(userId, blockedId, cancellationToken))
            throw ChatException.NotFound("not_blocked", "That user is not blocked.");
        await RaiseAsync(userId, blockedId, await store.Friends.AreFriendsAsync(userId, blockedId, cancellationToken));
    }

    /// <summary>The users the user blocked.</summary>
    public Task<IReadOnlyList<string>> BlockedAsync(string userId, CancellationToken cancellationToken = default) =>
        store.Friends.ListBlockedAsync(userId, cancellationToken);

    /// <summary>True when either has blocked the other.</summary>
    public async Task<bool> IsBlockedEitherWayAsync(string a, string b, CancellationToken cancellationToken = default) =>
        await store.Friends.IsBlockedAsync(a, b, cancellationToken) || await store.Friends.IsBlockedAsync(b, a, cancellationToken);

    private async Task CloseAsync(string userId, string requestId, FriendRequestStatus status, CancellationToken cancellationToken)
    {
        var request = await PendingRequestAsync(requestId, cancellationToken);
        var allowed = status == FriendRequestStatus.Declined ? request.To == userId : request.From == userId;
        if (!allowed)
            throw ChatException.Forbidden(status == FriendRequestStatus.Declined ? "not_recipient" : "not_sender", "That request is not yours to close.");
        if (!await store.Friends.CloseRequestAsync(requestId, status, cancellationToken))
            throw ChatException.Conflict("request_closed", "The request is no longer pending.");
        var other = request.From == userId ? request.To : request.From;
        await notifier.ToUserAsync(other, new FriendRequestClosedEvent(request.Id, status.ToString().ToLowerInvariant()), cancellationToken);
    }

    private async Task<FriendRequest> PendingRequestAsync(string requestId, CancellationToken cancellationToken)
    {
        var request = await store.Friends.GetRequestAsync(requestId, cancellationToken);
        return request is { Status: FriendRequestStatus.Pending } ? request : throw ChatException.NotFound("request_not_found", "No such pending request.");
    }

    private async ValueTask RaiseAsync(string a, string b, bool visible)
    {
        if (FriendshipChanged is { } handler)
            await handler(a, b, visible);
    }
}
