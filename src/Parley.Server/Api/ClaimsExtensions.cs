using System.Security.Claims;

namespace Parley.Server.Api;

internal static class ClaimsExtensions
{
    /// <summary>The signed-in user's id (endpoints that call this require authorization).</summary>
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Endpoint is missing RequireAuthorization.");
}
