using System.Security.Cryptography;

namespace Parley.Chat;

/// <summary>Identifiers: random, URL- and channel-safe (lowercase hex).</summary>
public static class Ids
{
    /// <summary>A new 64-bit random id as 16 hex digits.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    /// <summary>True for a string shaped like an id this system issues (guards paths and channels).</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: >= 1 and <= 64 } && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9'));
}
