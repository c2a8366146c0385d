using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Chat.Cluster;
using Parley.Chat.Notifications;
using Parley.Chat.Storage;

namespace Parley.Chat.Presence;

/// <summary>
/// Who is online, aggregated over each user's sessions (the most available status wins) and,
/// through the <see cref="IClusterDirectory"/>, over every node. This node's aggregate is written
/// to the directory at once, in order; pushes are coalesced so a flapping connection or a burst
/// of changes costs one push, and never happen on heartbeats. Changes reach the user's friends
/// only — never those blocked either way.
/// </summary>
public sealed partial class PresenceService : IDisposable
{
    private readonly ConcurrentDictionary<string, UserPresence> _users = new(StringComparer.Ordinal);
    private readonly IChatStore _store;
    private readonly IChatNotifier _notifier;
    private readonly IClusterDirectory _directory;
    private readonly TimeProvider _time;
    private readonly TimeSpan _coalesce;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public PresenceService(IChatStore store, IChatNotifier notifier, IClusterDirectory directory, IOptions<ChatOptions> options, TimeProvider time, ILogger<PresenceService> logger)
    {
        _store = store;
        _notifier = notifier;
        _directory = directory;
        _directory.UsersLost += UsersLostAsync;
        _time = time;
        _coalesce = options.Value.PresenceCoalesce;
        _logger = logger;
    }

    /// <summary>A session of the user came online.</summary>
    public void SessionStarted(string userId, string sessionId, PresenceStatus status = PresenceStatus.Online)
    {
        var user = _users.GetOrAdd(userId, static id => new UserPresence(id));
        lock (user)
        {
            user.Sessions[sessionId] = status == PresenceStatus.Offline ? PresenceStatus.Online : status;
            Write(user);
        }
        Changed(user);
    }

    /// <summary>A session of the user went away (disconnect, expiry, kick).</summary>
    public void SessionEnded(string userId, string sessionId)
    {
        if (!_users.TryGetValue(userId, out var user))
            return;
        bool last;
        lock (user)
        {
            if (!user.Sessions.Remove(sessionId))
                return;
            last = user.Sessions.Count == 0;
            Write(user);
        }
        if (last)
            _ = RecordLastSeenAsync(userId);
        Changed(user);
    }

    /// <summary>Sets the status of one of the user's sessions (the presence selector).</summary>
    public Task SetStatusAsync(string userId, string sessionId, PresenceStatus status)
    {
        if (status == PresenceStatus.Offline)
            status = PresenceStatus.Invisible; // a connected session cannot be offline; it can hide
        var user = _users.GetOrAdd(userId, static id => new UserPresence(id));
        Task written;
        lock (user)
        {
            user.Sessions[sessionId] = status;
            written = Write(user);
        }
        Changed(user);
        return written;
    }

    /// <summary>The user's status as others may see it (invisible looks offline).</summary>
    public async ValueTask<PresenceStatus> VisibleStatusAsync(string userId, CancellationToken cancellationToken = default) =>
        Visible(await OwnStatusAsync(userId, cancellationToken));

    /// <summary>The statuses of many users as others may see them, in the order given.</summary>
    public async ValueTask<PresenceStatus[]> VisibleStatusAsync(IReadOnlyList<string> userIds, CancellationToken cancellationToken = default)
    {
        foreach (var userId in userIds)
            await WrittenAsync(userId);
        var statuses = await _directory.GetPresenceAsync(userIds, cancellationToken);
        for (var i = 0; i < statuses.Length; i++)
            statuses[i] = Visible(statuses[i]);
        return statuses;
    }

    /// <summary>The user's own status over every node (invisible included).</summary>
    public async ValueTask<PresenceStatus> OwnStatusAsync(string userId, CancellationToken cancellationToken = default)
    {
        await WrittenAsync(userId);
        return await _directory.GetPresenceAsync(userId, cancellationToken);
    }

    // A read after a change on this node sees that change: wait for its directory write.
    private ValueTask WrittenAsync(string userId)
    {
        if (!_users.TryGetValue(userId, out var user))
            return ValueTask.CompletedTask;
        Task pending;
        lock (user)
            pending = user.Written;
        return pending.IsCompleted ? ValueTask.CompletedTask : new ValueTask(pending);
    }

    // Called under the user's lock: chains this node's new aggregate after the previous write, so the directory ends with the latest.
    private Task Write(UserPresence user)
    {
        var status = user.Aggregate();
        var previous = user.Written;
        user.Written = previous.IsCompleted ? WriteAsync(user.UserId, status) : ChainAsync(previous, user.UserId, status);
        return user.Written;
    }

    private async Task ChainAsync(Task previous, string userId, PresenceStatus status)
    {
        await previous;
        await WriteAsync(userId, status);
    }

    private async Task WriteAsync(string userId, PresenceStatus status)
    {
        try
        {
            await _directory.SetPresenceAsync(userId, status);
        }
        catch (Exception ex)
        {
            Log.DirectoryWriteFailed(_logger, userId, ex);
        }
    }

    /// <summary>The user's status as <paramref name="viewerId"/> may see it: offline when either blocked the other or they are not friends.</summary>
    public async Task<PresenceStatus> StatusForAsync(string userId, string viewerId, CancellationToken cancellationToken = default)
    {
        if (userId == viewerId)
            return await OwnStatusAsync(userId, cancellationToken);
        if (!await _store.Friends.AreFriendsAsync(userId, viewerId, cancellationToken)
            || await _store.Friends.IsBlockedAsync(userId, viewerId, cancellationToken)
            || await _store.Friends.IsBlockedAsync(viewerId, userId, cancellationToken))
            return PresenceStatus.Offline;
        return await VisibleStatusAsync(userId, cancellationToken);
    }

    /// <summary>Tells two users each other's current presence after their relation changed (befriended, removed, blocked).</summary>
    public async ValueTask RelationChangedAsync(string a, string b, bool visible)
    {
        await _notifier.ToUserAsync(b, new PresenceEvent(a, PresenceEvent.StatusName(visible ? await VisibleStatusAsync(a) : PresenceStatus.Offline), null));
        await _notifier.ToUserAsync(a, new PresenceEvent(b, PresenceEvent.StatusName(visible ? await VisibleStatusAsync(b) : PresenceStatus.Offline), null));
    }

    private static PresenceStatus Visible(PresenceStatus status) => status == PresenceStatus.Invisible ? PresenceStatus.Offline : status;

    // Schedule one push after the coalescing delay; changes meanwhile ride along.
    private void Changed(UserPresence user)
    {
        lock (user)
        {
            if (user.Timer is not null)
                return;
            user.Timer = _time.CreateTimer(static state =>
            {
                var (service, presence) = ((PresenceService, UserPresence))state!;
                _ = service.PublishAsync(presence);
            }, (this, user), _coalesce, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task PublishAsync(UserPresence user)
    {
        Task written;
        lock (user)
        {
            user.Timer?.Dispose();
            user.Timer = null;
            written = user.Written;
        }
        try
        {
            await written;
            // The push tells what the whole cluster shows, not only this node's sessions.
            var own = await _directory.GetPresenceAsync(user.UserId);
            lock (user)
            {
                if (own == user.Published)
                    return;
                user.Published = own;
            }
            await PushAsync(user.UserId, own);
        }
        catch (Exception ex)
        {
            Log.PushFailed(_logger, user.UserId, ex);
        }
    }

    // A node died: the users it held may have gone offline with it. This node (the one survivor
    // told) pushes what each now shows.
    private async Task UsersLostAsync(IReadOnlyList<string> userIds)
    {
        var statuses = await _directory.GetPresenceAsync(userIds);
        for (var i = 0; i < userIds.Count; i++)
        {
            try
            {
                var user = _users.GetOrAdd(userIds[i], static id => new UserPresence(id));
                lock (user)
                    user.Published = statuses[i];
                if (statuses[i] == PresenceStatus.Offline)
                    await RecordLastSeenAsync(userIds[i]);
                await PushAsync(userIds[i], statuses[i]);
            }
            catch (Exception ex)
            {
                Log.PushFailed(_logger, userIds[i], ex);
            }
        }
    }

    private async Task PushAsync(string userId, PresenceStatus own)
    {
        var visible = PresenceEvent.StatusName(Visible(own));
        // Friends get the same shape for signing out and going invisible: nothing tells them apart.
        long? lastSeen = Visible(own) == PresenceStatus.Offline ? _time.GetUtcNow().ToUnixTimeMilliseconds() : null;
        await _notifier.ToUserAsync(userId, new PresenceEvent(userId, PresenceEvent.StatusName(own), own == PresenceStatus.Offline ? lastSeen : null));
        foreach (var friend in await _store.Friends.ListFriendsAsync(userId))
        {
            if (await _store.Friends.IsBlockedAsync(userId, friend.UserId) || await _store.Friends.IsBlockedAsync(friend.UserId, userId))
                continue;
            await _notifier.ToUserAsync(friend.UserId, new PresenceEvent(userId, visible, lastSeen));
        }
    }

    private async Task RecordLastSeenAsync(string userId)
    {
        try
        {
            await _store.Users.SetLastSeenAsync(userId, _time.GetUtcNow());
        }
        catch (Exception ex)
        {
            Log.PushFailed(_logger, userId, ex);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _directory.UsersLost -= UsersLostAsync;
        foreach (var user in _users.Values)
        {
            lock (user)
                user.Timer?.Dispose();
        }
    }

    private sealed class UserPresence(string userId)
    {
        public string UserId { get; } = userId;
        public Dictionary<string, PresenceStatus> Sessions { get; } = new(StringComparer.Ordinal);
        public PresenceStatus Published { get; set; } = PresenceStatus.Offline;
        public Task Written { get; set; } = Task.CompletedTask;
        public ITimer? Timer { get; set; }

        public PresenceStatus Aggregate()
        {
            var best = PresenceStatus.Offline;
            foreach (var status in Sessions.Values)
            {
                if (status > best)
                    best = status;
            }
            return best;
        }
    }
}
