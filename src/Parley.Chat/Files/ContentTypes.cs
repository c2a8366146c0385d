namespace Parley.Chat.Files;

/// <summary>Detects a content type from a file's first bytes; the client's claim is never trusted.</summary>
public static class ContentTypes
{
    /// <summary>Types shown inline (images); everything else downloads as an attachment.</summary>
    public static bool IsInlineImage(string contentType) => contentType is "image/png" or "image/jpeg" or "image/gif" or "image/webp";

    /// <summary>The type of content starting with <paramref name="head"/>.</summary>
    public static string Detect(ReadOnlySpan<byte> head, string fileName)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            return "image/png";
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return "image/jpeg";
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
            return "image/gif";
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
            return "image/webp";
        if (head.StartsWith("%PDF-"u8))
            return "application/pdf";
        if (head.StartsWith("PK\x03\x04"u8))
            return "application/zip";
        if (LooksLikeText(head) && fileName.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            return "text/plain; charset=utf-8";
        return "application/octet-stream";
    }

    private static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
        {
            if (b < 0x09 || (b > 0x0D && b < 0x20))
                return false;
        }
        return true;
    }
}
