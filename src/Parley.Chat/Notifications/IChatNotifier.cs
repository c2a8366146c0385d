namespace Parley.Chat.Notifications;

/// <summary>How the domain reaches people: implemented by the host over Bayeux (and across nodes).</summary>
public interface IChatNotifier
{
    /// <summary>To every session of one user.</summary>
    ValueTask ToUserAsync(string userId, ChatEvent chatEvent, CancellationToken cancellationToken = default);

    /// <summary>Once to a group's channel; every online member's sessions receive it.</summary>
    ValueTask ToGroupAsync(string groupId, ChatEvent chatEvent, CancellationToken cancellationToken = default);

    /// <summary>To every online user.</summary>
    ValueTask ToEveryoneAsync(ChatEvent chatEvent, CancellationToken cancellationToken = default);

    /// <summary>The user left or was removed from a group: their sessions must stop receiving it.</summary>
    ValueTask LeftGroupAsync(string groupId, string userId, CancellationToken cancellationToken = default);
}
