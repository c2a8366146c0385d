using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Security;

/// <summary>The server's rules for subscribing and publishing; replace it to change them wholesale.</summary>
public interface ISecurityPolicy
{
    /// <summary>True when <paramref name="session"/> may perform <paramref name="operation"/> on <paramref name="channel"/>.</summary>
    ValueTask<bool> CanAsync(ChannelOperation operation, ServerSession session, string channel, BayeuxMessage message, CancellationToken cancellationToken);
}
