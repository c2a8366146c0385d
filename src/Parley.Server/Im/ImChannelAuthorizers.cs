using Parley.Bayeux.Channels;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Security;
using Parley.Bayeux.Sessions;
using Parley.Chat.Groups;

namespace Parley.Server.Im;

/// <summary><c>/user/{id}</c>: only that user's sessions subscribe; only the server publishes.</summary>
internal sealed class UserChannelAuthorizer : IChannelAuthorizer
{
    public ValueTask<Authorization> AuthorizeAsync(ChannelOperation operation, ServerSession session, string channel, BayeuxMessage message, CancellationToken cancellationToken) =>
        ValueTask.FromResult(operation == ChannelOperation.Subscribe && session.UserId is { } userId && channel == BayeuxChatNotifier.UserChannel(userId)
            ? Authorization.Grant
            : Authorization.Deny);
}

/// <summary><c>/group/{id}</c>: only members subscribe; only the server publishes (sends go through <c>/service/im/send</c>).</summary>
internal sealed class GroupChannelAuthorizer(GroupService groups) : IChannelAuthorizer
{
    public async ValueTask<Authorization> AuthorizeAsync(ChannelOperation operation, ServerSession session, string channel, BayeuxMessage message, CancellationToken cancellationToken)
    {
        if (operation != ChannelOperation.Subscribe || session.UserId is not { } userId || !ChannelName.IsValidConcrete(channel))
            return Authorization.Deny;
        var groupId = channel["/group/".Length..];
        return await groups.IsMemberAsync(userId, groupId, cancellationToken) ? Authorization.Grant : Authorization.Deny;
    }
}
