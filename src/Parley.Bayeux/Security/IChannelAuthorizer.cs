using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Security;

/// <summary>Decides subscribe and publish rights for the channels matching the pattern it is registered under.</summary>
public interface IChannelAuthorizer
{
    /// <summary>Returns a verdict for one operation on one concrete channel.</summary>
    ValueTask<Authorization> AuthorizeAsync(ChannelOperation operation, ServerSession session, string channel, BayeuxMessage message, CancellationToken cancellationToken);
}
