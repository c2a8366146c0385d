using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.AspNetCore.Http;

/// <summary>
/// Cross-origin rules of the node (the Bayeux endpoint, and any endpoint the host guards with it). Requests without <c>Origin</c> (non-browser clients)
/// and same-origin requests pass; other origins pass only when configured, and get the CORS
/// headers with credentials. Everything else is refused before any message is handled.
/// </summary>
public sealed class OriginPolicy(IOptions<BayeuxOptions> options)
{
    private readonly HashSet<string> _allowed = new(options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    /// <summary>Checks the request's origin and adds the CORS response headers; false = refuse.</summary>
    public bool Admit(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsSameOrigin(http, origin))
            return true;
        if (!_allowed.Contains("*") && !_allowed.Contains(origin))
            return false;
        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.AccessControlAllowCredentials = "true";
        headers.Vary = HeaderNames.Origin;
        return true;
    }

    /// <summary>
    /// Checks a JSONP request. A script load carries no <c>Origin</c>, so the page's origin is taken
    /// from <c>Referer</c>; a browser that says the request is cross-site (<c>Sec-Fetch-Site</c>)
    /// without telling from where is refused unless any origin is allowed.
    /// </summary>
    public bool AdmitScript(HttpContext http)
    {
        var request = http.Request;
        if (request.Headers.Origin.Count > 0)
            return Admit(http);
        var referer = request.Headers.Referer.ToString();
        if (Uri.TryCreate(referer, UriKind.Absolute, out var page) && page.Scheme is "http" or "https")
        {
            var origin = page.GetLeftPart(UriPartial.Authority);
            return IsSameOrigin(http, origin) || _allowed.Contains("*") || _allowed.Contains(origin);
        }
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        return site is "" or "same-origin" or "none" || _allowed.Contains("*");
    }

    /// <summary>Answers a CORS preflight.</summary>
    public IResult Preflight(HttpContext http)
    {
        if (!Admit(http))
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        var headers = http.Response.Headers;
        headers.AccessControlAllowMethods = "POST, GET, OPTIONS";
        headers.AccessControlAllowHeaders = "Content-Type, Pragma, Authorization, X-Requested-With";
        headers.AccessControlMaxAge = "86400";
        return Results.NoContent();
    }

    private static bool IsSameOrigin(HttpContext http, string origin)
    {
        var request = http.Request;
        var expectedLength = request.Scheme.Length + 3 + request.Host.Value?.Length ?? 0;
        return origin.Length == expectedLength
            && origin.StartsWith(request.Scheme, StringComparison.OrdinalIgnoreCase)
            && origin.AsSpan(request.Scheme.Length).StartsWith("://", StringComparison.Ordinal)
            && origin.AsSpan(request.Scheme.Length + 3).Equals(request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
