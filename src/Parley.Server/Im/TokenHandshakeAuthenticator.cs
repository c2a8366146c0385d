using System.Text.Json.Nodes;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Security;
using Parley.Bayeux.Server;
using Parley.Chat.Accounts;

namespace Parley.Server.Im;

/// <summary>
/// Signs a Bayeux handshake in with the bearer token in <c>ext.auth.token</c>, or with the
/// session cookie of the same-origin web client. No credentials: abstain (anonymous rules apply).
/// </summary>
internal sealed class TokenHandshakeAuthenticator(AccountService accounts) : IHandshakeAuthenticator
{
    public const string CookieName = "parley_session";

    public async ValueTask<HandshakeDecision?> AuthenticateAsync(BayeuxMessage handshake, IBayeuxRequestContext request, CancellationToken cancellationToken)
    {
        var token = (handshake.GetExt("auth") as JsonObject)?["token"] is JsonValue value && value.TryGetValue(out string? fromExt)
            ? fromExt
            : request.GetCookie(CookieName);
        if (string.IsNullOrEmpty(token))
            return HandshakeDecision.Abstain;
        var user = await accounts.AuthenticateAsync(token, cancellationToken);
        return user is null ? HandshakeDecision.Deny("401::invalid_token") : HandshakeDecision.Allow(user.Id);
    }
}
