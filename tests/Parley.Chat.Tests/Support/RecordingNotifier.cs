using Parley.Chat.Notifications;

namespace Parley.Chat.Tests.Support;

/// <summary>Where a notification went.</summary>
public enum NotificationTarget
{
    User,
    Group,
    Everyone,
}

/// <summary>One recorded push: where it went and what it said.</summary>
public sealed record Notification(NotificationTarget Target, string TargetId, ChatEvent Event);

/// <summary>An <see cref="IChatNotifier"/> that remembers every push instead of delivering it.</summary>
public sealed class RecordingNotifier : IChatNotifier
{
    private readonly Lock _gate = new();
    private readonly List<Notification> _notifications = [];
    private readonly List<(string GroupId, string UserId)> _departures = [];

    /// <summary>Everything pushed so far, in order.</summary>
    public IReadOnlyList<Notification> All
    {
        get
        {
            lock (_gate)
                return [.. _notifications];
        }
    }

    /// <summary>Every <see cref="IChatNotifier.LeftGroupAsync"/> call so far.</summary>
    public IReadOnlyList<(string GroupId, string UserId)> Departures
    {
        get
        {
            lock (_gate)
                return [.. _departures];
        }
    }

    /// <summary>The events of one type pushed to one user, in order.</summary>
    public IReadOnlyList<TEvent> ToUser<TEvent>(string userId) where TEvent : ChatEvent => Of<TEvent>(NotificationTarget.User, userId);

    /// <summary>The events of one type pushed to one group's channel, in order.</summary>
    public IReadOnlyList<TEvent> ToGroup<TEvent>(string groupId) where TEvent : ChatEvent => Of<TEvent>(NotificationTarget.Group, groupId);

    /// <summary>Every event pushed to one user, in order.</summary>
    public IReadOnlyList<ChatEvent> EventsOf(string userId) =>
        [.. All.Where(n => n.Target == NotificationTarget.User && n.TargetId == userId).Select(n => n.Event)];

    /// <summary>The wire types of the events pushed to one user, in order.</summary>
    public IReadOnlyList<string> TypesTo(string userId) => [.. EventsOf(userId).Select(e => e.Type)];

    /// <summary>Forgets everything recorded (after a test's setup).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _notifications.Clear();
            _departures.Clear();
        }
    }

    public ValueTask ToUserAsync(string userId, ChatEvent chatEvent, CancellationToken cancellationToken = default) =>
        Record(NotificationTarget.User, userId, chatEvent);

    public ValueTask ToGroupAsync(string groupId, ChatEvent chatEvent, CancellationToken cancellationToken = default) =>
        Record(NotificationTarget.Group, groupId, chatEvent);

    public ValueTask ToEveryoneAsync(ChatEvent chatEvent, CancellationToken cancellationToken = default) =>
        Record(NotificationTarget.Everyone, "", chatEvent);

    public ValueTask LeftGroupAsync(string groupId, string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
            _departures.Add((groupId, userId));
        return ValueTask.CompletedTask;
    }

    private IReadOnlyList<TEvent> Of<TEvent>(NotificationTarget target, string id) where TEvent : ChatEvent =>
        [.. All.Where(n => n.Target == target && n.TargetId == id).Select(n => n.Event).OfType<TEvent>()];

    private ValueTask Record(NotificationTarget target, string id, ChatEvent chatEvent)
    {
        ArgumentNullException.ThrowIfNull(chatEvent);
        lock (_gate)
            _notifications.Add(new Notification(target, id, chatEvent));
        return ValueTask.CompletedTask;
    }
}
