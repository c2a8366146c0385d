using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Parley.Bayeux.AspNetCore.Http;

/// <summary>
/// The <c>BAYEUX_BROWSER</c> cookie: one random id per browser, issued to a handshake (or WebSocket
/// upgrade) that arrives without one.
/// </summary>
internal static class BrowserCookie
{
    public static string? Read(HttpContext http, string name)
    {
        var value = http.Request.Cookies[name];
        return string.IsNullOrEmpty(value) || value.Length > 64 ? null : value;
    }

    /// <summary>Sets a new browser id on the response and returns it.</summary>
    public static string Issue(HttpContext http, string name)
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        http.Response.Cookies.Append(name, id, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            Secure = http.Request.IsHttps,
        });
        return id;
    }
}
