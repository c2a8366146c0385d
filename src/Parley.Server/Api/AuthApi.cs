using System.Security.Claims;
using Parley.Chat.Accounts;
using Parley.Chat.Presence;
using Parley.Server.Im;
using static Parley.Server.Api.ApiDtos;

namespace Parley.Server.Api;

/// <summary>Accounts: register, sign in and out, password, the caller's profile, finding people.</summary>
internal static class AuthApi
{
    public static void MapAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth");
        auth.MapPost("/register", RegisterAsync);
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/logout", LogoutAsync);
        auth.MapPost("/password", ChangePasswordAsync).RequireAuthorization();

        app.MapGet("/api/me", MeAsync).RequireAuthorization();
        app.MapPatch("/api/me", UpdateMeAsync).RequireAuthorization();
        app.MapGet("/api/users", SearchAsync).RequireAuthorization();
        app.MapGet("/api/users/{userId}", GetUserAsync).RequireAuthorization();
    }

    private static async Task<IResult> RegisterAsync(RegisterRequest body, AccountService accounts, HttpContext http, CancellationToken ct)
    {
        var signedIn = await accounts.RegisterAsync(body.Username, body.Password, body.DisplayName, ct);
        SetCookie(http, signedIn.Token);
        return TypedResults.Created("/api/me", Signed(signedIn));
    }

    private static async Task<IResult> LoginAsync(LoginRequest body, AccountService accounts, HttpContext http, CancellationToken ct)
    {
        var signedIn = await accounts.LoginAsync(body.Username, body.Password, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", ct);
        SetCookie(http, signedIn.Token);
        return TypedResults.Ok(Signed(signedIn));
    }

    private static async Task<IResult> LogoutAsync(AccountService accounts, HttpContext http, CancellationToken ct)
    {
        if (TokenAuthenticationHandler.TokenOf(http.Request) is { } token)
            await accounts.LogoutAsync(token, ct);
        http.Response.Cookies.Delete(TokenHandshakeAuthenticator.CookieName, new CookieOptions { Path = "/" });
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ChangePasswordAsync(PasswordRequest body, ClaimsPrincipal user, AccountService accounts, HttpContext http, CancellationToken ct)
    {
        var token = await accounts.ChangePasswordAsync(user.UserId(), body.CurrentPassword, body.NewPassword, ct);
        SetCookie(http, token);
        return TypedResults.Ok(new TokenResponse(token));
    }

    private static async Task<IResult> MeAsync(ClaimsPrincipal principal, AccountService accounts, PresenceService presence, CancellationToken ct)
    {
        var user = await accounts.GetUserAsync(principal.UserId(), ct);
        return TypedResults.Ok(await MeResponseAsync(user, presence, accounts, ct));
    }

    private static async Task<IResult> UpdateMeAsync(ProfileRequest body, ClaimsPrincipal principal, AccountService accounts, PresenceService presence, CancellationToken ct)
    {
        var user = await accounts.UpdateProfileAsync(principal.UserId(), new ProfileUpdate(body.DisplayName, body.StatusMessage, body.PublicPresence), ct);
        return TypedResults.Ok(await MeResponseAsync(user, presence, accounts, ct));
    }

    private static async Task<IResult> SearchAsync(string? query, AccountService accounts, CancellationToken ct)
    {
        var users = await accounts.SearchAsync(query, ct);
        return TypedResults.Ok(new UserList([.. users.Select(u => new UserSummary(u.Id, u.Username, u.DisplayName))]));
    }

    private static async Task<IResult> GetUserAsync(string userId, ClaimsPrincipal principal, AccountService accounts, PresenceService presence, CancellationToken ct)
    {
        var user = await accounts.GetUserAsync(userId, ct);
        var status = await presence.StatusForAsync(user.Id, principal.UserId(), ct);
        return TypedResults.Ok(new UserSummary(user.Id, user.Username, user.DisplayName, user.StatusMessage, status.ToString().ToLowerInvariant()));
    }

    private static SignedInResponse Signed(SignedIn s) => new(s.User.Id, s.Token, s.User.Username, s.User.DisplayName);

    private static async Task<MeResponse> MeResponseAsync(User user, PresenceService presence, AccountService accounts, CancellationToken ct) =>
        new(user.Id, user.Username, user.DisplayName, user.StatusMessage, user.PublicPresence, (await presence.OwnStatusAsync(user.Id, ct)).ToString().ToLowerInvariant(), accounts.IsAdmin(user));

    // The same-origin web client signs in with an HttpOnly cookie; API clients use the token.
    private static void SetCookie(HttpContext http, string token) =>
        http.Response.Cookies.Append(TokenHandshakeAuthenticator.CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            Path = "/",
            MaxAge = TimeSpan.FromDays(30),
        });
}
