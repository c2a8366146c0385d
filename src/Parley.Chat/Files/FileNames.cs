using System.Text;

namespace Parley.Chat.Files;

/// <summary>Makes a client-supplied file name safe to store and to send back in a header.</summary>
public static class FileNames
{
    /// <summary>Longest name kept.</summary>
    public const int MaxLength = 120;

    /// <summary>
    /// Keeps the last path segment, drops control and path characters, quotes and leading dots,
    /// and trims to 120 characters (keeping the extension). Never empty.
    /// </summary>
    public static string Sanitize(string? name)
    {
        var last = (name ?? "").Replace('\\', '/');
        last = last[(last.LastIndexOf('/') + 1)..];
        var clean = new StringBuilder(last.Length);
        foreach (var rune in last.EnumerateRunes())
        {
            if (Rune.IsControl(rune) || rune.Value is '"' or '<' or '>' or ':' or '|' or '?' or '*' or ';' or 0x2028 or 0x2029 || Rune.GetUnicodeCategory(rune) == System.Globalization.UnicodeCategory.Format)
                continue;
            clean.Append(rune.ToString());
        }
        var result = clean.ToString().Trim().TrimStart('.').Trim();
        if (result.Length > MaxLength)
        {
            var extension = Path.GetExtension(result);
            if (extension.Length > 16)
                extension = "";
            var stem = result[..(MaxLength - extension.Length)];
            if (char.IsHighSurrogate(stem[^1]))
                stem = stem[..^1]; // never keep half a character
            result = stem.TrimEnd() + extension;
        }
        return result.Length == 0 ? "file" : result;
    }
}
