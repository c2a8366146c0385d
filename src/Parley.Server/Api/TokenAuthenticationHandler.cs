using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Parley.Chat.Accounts;
using Parley.Server.Im;

namespace Parley.Server.Api;

/// <summary>REST authentication: <c>Authorization: Bearer &lt;token&gt;</c>, or the HttpOnly session cookie of the same-origin web client.</summary>
internal sealed class TokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, AccountService accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ParleyToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenOf(Request);
        if (token is null)
            return AuthenticateResult.NoResult();
        var user = await accounts.AuthenticateAsync(token, Context.RequestAborted);
        if (user is null)
            return AuthenticateResult.Fail("invalid token");
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Username)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return ApiResults.Problem(401, "unauthorized", "Sign in first.").ExecuteAsync(Context);
    }

    /// <summary>The token a request carries (bearer header first, then the cookie).</summary>
    public static string? TokenOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim();
        var cookie = request.Cookies[TokenHandshakeAuthenticator.CookieName];
        return string.IsNullOrEmpty(cookie) ? null : cookie;
    }
}
