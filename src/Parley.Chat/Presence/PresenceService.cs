using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Chat.Notifications;
using Parley.Chat.Storage;

namespace Parley.Chat.Presence;

/// <summary>
/// Who is online, aggregated over each user's sessions (the most available status wins).
/// Changes reach the user's friends only — never those blocked either way — coalesced so a
/// flapping connection or a burst of changes costs one push, and never on heartbeats.
/// </summary>
public sealed partial class PresenceService : IDisposable
{
    private readonly ConcurrentDictionary<string, UserPresence> _users = new(StringComparer.Ordinal);
    private readonly IChatStore _store;
    private readonly IChatNotifier _notifier;
    private readonly TimeProvider _time;
    private readonly TimeSpan _coalesce;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    public PresenceService(IChatStore store, IChatNotifier notifier, IOptions<ChatOptions> options, TimeProvider time, ILogger<PresenceService> logger)
    {
        _store = store;
        _notifier = notifier;
        _time = time;
        _coalesce = options.Value.PresenceCoalesce;
        _logger = logger;
    }

    /// <summary>A session of the user came online.</summary>
    public void SessionStarted(string userId, string sessionId, PresenceStatus status = PresenceStatus.Online)
    {
        var user = _users.GetOrAdd(userId, static id => new UserPresence(id));
        lock (user)
            user.Sessions[sessionId] = status == PresenceStatus.Offline ? PresenceStatus.Online : status;
        Changed(user);
    }

    /// <summary>A session of the user went away (disconnect, expiry, kick).</summary>
    public void SessionEnded(string userId, string sessionId)
    {
        if (!_users.TryGetValue(userId, out var user))
            return;
        bool last;
        lock (user)
            last = user.Sessions.Remove(sessionId) && user.Sessions.Count == 0;
        if (last)
            _ = RecordLastSeenAsync(userId);
        Changed(user);
    }

    /// <summary>Sets the status of one of the user's sessions (the presence selector).</summary>
    public void SetStatus(string userId, string sessionId, PresenceStatus status)
    {
        if (status == PresenceStatus.Offline)
            status = PresenceStatus.Invisible; // a connected session cannot be offline; it can hide
        var user = _users.GetOrAdd(userId, static id => new UserPresence(id));
        lock (user)
            user.Sessions[sessionId] = status;
        Changed(user);
    }

    /// <summary>The user's status as others may see it (invisible looks offline).</summary>
    public PresenceStatus VisibleStatus(string userId) => Visible(OwnStatus(userId));

    /// <summary>The user's own aggregated status (invisible included).</summary>
    public PresenceStatus OwnStatus(string userId)
    {
        if (!_users.TryGetValue(userId, out var user))
            return PresenceStatus.Offline;
        lock (user)
            return user.Aggregate();
    }

    /// <summary>The user's status as <paramref name="viewerId"/> may see it: offline when either blocked the other or they are not friends.</summary>
    public async Task<PresenceStatus> StatusForAsync(string userId, string viewerId, CancellationToken cancellationToken = default)
    {
        if (userId == viewerId)
            return OwnStatus(userId);
        if (!await _store.Friends.AreFriendsAsync(userId, viewerId, cancellationToken)
            || await _store.Friends.IsBlockedAsync(userId, viewerId, cancellationToken)
            || await _store.Friends.IsBlockedAsync(viewerId, userId, cancellationToken))
            return PresenceStatus.Offline;
        return VisibleStatus(userId);
    }

    /// <summary>Tells two users each other's current presence after their relation changed (befriended, removed, blocked).</summary>
    public async ValueTask RelationChangedAsync(string a, string b, bool visible)
    {
        await _notifier.ToUserAsync(b, new PresenceEvent(a, PresenceEvent.StatusName(visible ? VisibleStatus(a) : PresenceStatus.Offline), null));
        await _notifier.ToUserAsync(a, new PresenceEvent(b, PresenceEvent.StatusName(visible ? VisibleStatus(b) : PresenceStatus.Offline), null));
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
        PresenceStatus own;
        lock (user)
        {
            user.Timer?.Dispose();
            user.Timer = null;
            own = user.Aggregate();
            if (own == user.Published)
                return;
            user.Published = own;
        }
        try
        {
            var visible = PresenceEvent.StatusName(Visible(own));
            // Friends get the same shape for signing out and going invisible: nothing tells them apart.
            long? lastSeen = Visible(own) == PresenceStatus.Offline ? _time.GetUtcNow().ToUnixTimeMilliseconds() : null;
            await _notifier.ToUserAsync(user.UserId, new PresenceEvent(user.UserId, PresenceEvent.StatusName(own), own == PresenceStatus.Offline ? lastSeen : null));
            foreach (var friend in await _store.Friends.ListFriendsAsync(user.UserId))
            {
                if (await _store.Friends.IsBlockedAsync(user.UserId, friend.UserId) || await _store.Friends.IsBlockedAsync(friend.UserId, user.UserId))
                    continue;
                await _notifier.ToUserAsync(friend.UserId, new PresenceEvent(user.UserId, visible, lastSeen));
            }
        }
        catch (Exception ex)
        {
            Log.PushFailed(_logger, user.UserId, ex);
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
