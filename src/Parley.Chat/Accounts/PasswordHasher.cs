using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Parley.Chat.Accounts;

/// <summary>
/// Argon2id password hashes in the PHC string format
/// (<c>$argon2id$v=19$m=…,t=…,p=1$salt$hash</c>), so cost parameters can rise without
/// invalidating older hashes.
/// </summary>
public sealed class PasswordHasher(int memoryKiB, int iterations)
{
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Hashes a password with a fresh random salt.</summary>
    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Compute(password, salt, memoryKiB, iterations);
        return $"$argon2id$v=19$m={memoryKiB},t={iterations},p=1${Convert.ToBase64String(salt).TrimEnd('=')}${Convert.ToBase64String(hash).TrimEnd('=')}";
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="encoded"/> (constant-time comparison).</summary>
    public static bool Verify(string password, string encoded)
    {
        var parts = encoded.Split('$');
        if (string.IsNullOrEmpty(password) || parts.Length != 6 || parts[1] != "argon2id")
            return false;
        int memory = 0, time = 0;
        foreach (var pair in parts[3].Split(','))
        {
            var kv = pair.Split('=');
            if (kv.Length != 2 || !int.TryParse(kv[1], out var value))
                return false;
            if (kv[0] == "m")
                memory = value;
            else if (kv[0] == "t")
                time = value;
        }
        if (memory <= 0 || time <= 0)
            return false;
        try
        {
            var salt = FromBase64(parts[4]);
            var expected = FromBase64(parts[5]);
            return CryptographicOperations.FixedTimeEquals(Compute(password, salt, memory, time, expected.Length), expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Compute(string password, byte[] salt, int memoryKiB, int iterations, int length = HashBytes)
    {
        using var argon = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = memoryKiB,
            Iterations = iterations,
            DegreeOfParallelism = 1,
        };
        return argon.GetBytes(length);
    }

    private static byte[] FromBase64(string text) => Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
}
