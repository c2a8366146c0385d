using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace Parley.Bayeux.AspNetCore.Http;

/// <summary>The <c>BAYEUX_BROWSER</c> cookie: one random id per browser, set on its first handshake.</summary>
internal static class BrowserCookie
{
    public static string? Read(HttpContext http, string name)
    {
        var value = http.Request.Cookies[name];
        return string.IsNullOrEmpty(value) || value.Length > 64 ? null : value;
    }

    /// <summary>Returns the browser id, creating the cookie when a handshake arrives without one.</summary>
    public static string? Ensure(HttpContext http, string name, bool isHandshake)
    {
        var existing = Read(http, name);
        if (existing is not null || !isHandshake)
            return existing;
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
