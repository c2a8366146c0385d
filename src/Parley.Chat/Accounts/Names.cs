using System.Text.RegularExpressions;

namespace Parley.Chat.Accounts;

/// <summary>Rules for usernames (ASCII handles, case-insensitive) and display names (any Unicode).</summary>
public static partial class Names
{
    /// <summary>Longest display name or status message part, in characters.</summary>
    public const int MaxDisplayName = 64;

    /// <summary>Longest status message.</summary>
    public const int MaxStatusMessage = 140;

    [GeneratedRegex("^[a-z0-9][a-z0-9_.-]{2,31}$")]
    private static partial Regex UsernamePattern();

    /// <summary>Lowercases and checks a username: 3–32 of a-z 0-9 _ . -, starting with a letter or digit.</summary>
    public static string NormalizeUsername(string? username)
    {
        var normalized = (username ?? "").Trim().ToLowerInvariant();
        if (!UsernamePattern().IsMatch(normalized))
            throw ChatException.Invalid("username_invalid", "A username is 3–32 characters: letters, digits, '_', '.', '-', starting with a letter or digit.");
        return normalized;
    }

    /// <summary>Trims and checks a display name: 1–64 characters, no control characters.</summary>
    public static string CleanDisplayName(string? name) => Clean(name, MaxDisplayName, allowEmpty: false, "display_name_invalid", "A display name is 1–64 characters without control characters.");

    /// <summary>Trims and checks a status message (may be empty).</summary>
    public static string CleanStatusMessage(string? text) => Clean(text, MaxStatusMessage, allowEmpty: true, "status_message_invalid", "A status message is at most 140 characters without control characters.");

    /// <summary>Checks a password: 8–128 characters.</summary>
    public static void CheckPassword(string? password)
    {
        if (password is null || password.Length < 8 || password.Length > 128)
            throw ChatException.Invalid("password_invalid", "A password is 8–128 characters.");
    }

    private static string Clean(string? text, int max, bool allowEmpty, string code, string message)
    {
        var cleaned = (text ?? "").Trim();
        if ((!allowEmpty && cleaned.Length == 0) || cleaned.Length > max || cleaned.Any(char.IsControl))
            throw ChatException.Invalid(code, message);
        return cleaned;
    }
}
