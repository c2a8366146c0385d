using Parley.Bayeux.Messages;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.Security;

/// <summary>
/// Decides who may handshake: reads credentials from the handshake's <c>ext</c> or the request
/// (cookies, headers). Return null to abstain — then the session is anonymous, allowed only when
/// <c>AllowAnonymous</c> is on.
/// </summary>
public interface IHandshakeAuthenticator
{
    /// <summary>Authenticates one handshake.</summary>
    ValueTask<HandshakeDecision?> AuthenticateAsync(BayeuxMessage handshake, IBayeuxRequestContext request, CancellationToken cancellationToken);
}
