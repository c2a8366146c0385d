using Parley.Bayeux.AspNetCore.Http;

namespace Parley.Server.Api;

/// <summary>
/// Browsers send <c>Origin</c> with cross-origin requests: a state-changing API request from an
/// origin that is neither this site nor an allowed one is refused, so a foreign page cannot act
/// with a signed-in user's cookie. Same rules as the Bayeux endpoint (<c>Bayeux:AllowedOrigins</c>).
/// </summary>
internal static class ApiOriginCheck
{
    public static IApplicationBuilder UseApiOriginCheck(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var request = http.Request;
        if (request.Path.StartsWithSegments("/api") && request.Headers.Origin.Count > 0)
        {
            var origins = http.RequestServices.GetRequiredService<OriginPolicy>();
            if (HttpMethods.IsOptions(request.Method))
            {
                await origins.Preflight(http).ExecuteAsync(http);
                return;
            }
            if (!origins.Admit(http) && !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                await ApiResults.Problem(403, "origin_forbidden", "Requests from this origin are not allowed.").ExecuteAsync(http);
                return;
            }
        }
        await next(http);
    });
}
