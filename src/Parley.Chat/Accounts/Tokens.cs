using System.Security.Cryptography;
using System.Text;

namespace Parley.Chat.Accounts;

/// <summary>Opaque bearer tokens: 256 random bits, base64url; only their SHA-256 is stored.</summary>
public static class Tokens
{
    /// <summary>A new token.</summary>
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of a token.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>True for a string shaped like a token (guards the store against junk).</summary>
    public static bool IsWellFormed(string? token) => token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
