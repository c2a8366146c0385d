using Parley.Bayeux.Messages;
using Parley.Bayeux.Server;
using Parley.Chat.Cluster;
using Parley.Chat.Notifications;

namespace Parley.Server.Im;

/// <summary>
/// Delivers domain events over Bayeux: a user's events to <c>/user/{id}</c>, a group's once to
/// <c>/group/{id}</c> (fan-out to every online member's sessions happens in the engine, and to
/// other nodes through the backplane).
/// </summary>
internal sealed class BayeuxChatNotifier(BayeuxServer bayeux, ImSessions sessions, IClusterDirectory directory) : IChatNotifier
{
    public static string UserChannel(string userId) => "/user/" + userId;

    public static string GroupChannel(string groupId) => "/group/" + groupId;

    public ValueTask ToUserAsync(string userId, ChatEvent chatEvent, CancellationToken cancellationToken = default) =>
        bayeux.PublishAsync(UserChannel(userId), ImJson.ToElement(chatEvent), cancellationToken);

    public ValueTask ToGroupAsync(string groupId, ChatEvent chatEvent, CancellationToken cancellationToken = default) =>
        bayeux.PublishAsync(GroupChannel(groupId), ImJson.ToElement(chatEvent), cancellationToken);

    public ValueTask ToEveryoneAsync(ChatEvent chatEvent, CancellationToken cancellationToken = default)
    {
        var data = ImJson.ToElement(chatEvent);
        sessions.DeliverToEveryone(data);
        return directory.SendAsync(new ClusterSignal(ClusterSignal.Notice, "", Data: data.GetRawText()), cancellationToken);
    }

    public ValueTask LeftGroupAsync(string groupId, string userId, CancellationToken cancellationToken = default)
    {
        foreach (var session in sessions.Of(userId))
            bayeux.Unsubscribe(session, GroupChannel(groupId));
        return ValueTask.CompletedTask;
    }
}
