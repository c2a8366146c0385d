using System.Text.Encodings.Web;

namespace Parley.Bayeux.Messages;

/// <summary>
/// Escapes only what JSON requires (<c>"</c>, <c>\</c>, control characters) plus U+2028/U+2029
/// and lone surrogates: every other character, Chinese text and emoji included, goes out as
/// plain UTF-8. The built-in encoders escape all characters beyond the BMP.
/// </summary>
public sealed class MinimalJsonEncoder : JavaScriptEncoder
{
    /// <summary>The shared instance.</summary>
    public static readonly MinimalJsonEncoder Instance = new();

    private MinimalJsonEncoder()
    {
    }

    /// <inheritdoc />
    public override int MaxOutputCharactersPerInputCharacter => 6; // \uXXXX

    /// <inheritdoc />
    public override bool WillEncode(int unicodeScalar) => NeedsEscape(unicodeScalar);

    /// <inheritdoc />
    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < textLength && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c) || NeedsEscape(c))
                return i;
        }
        return -1;
    }

    /// <inheritdoc />
    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        if (!NeedsEscape(unicodeScalar) && !(unicodeScalar is >= 0xD800 and <= 0xDFFF))
        {
            var span = new Span<char>(buffer, bufferLength);
            if (new System.Text.Rune(unicodeScalar).TryEncodeToUtf16(span, out numberOfCharactersWritten))
                return true;
            numberOfCharactersWritten = 0;
            return false;
        }
        if (bufferLength < 6 || unicodeScalar > 0xFFFF)
        {
            numberOfCharactersWritten = 0;
            return false;
        }
        buffer[0] = '\\';
        buffer[1] = 'u';
        const string hex = "0123456789ABCDEF";
        buffer[2] = hex[(unicodeScalar >> 12) & 0xF];
        buffer[3] = hex[(unicodeScalar >> 8) & 0xF];
        buffer[4] = hex[(unicodeScalar >> 4) & 0xF];
        buffer[5] = hex[unicodeScalar & 0xF];
        numberOfCharactersWritten = 6;
        return true;
    }

    private static bool NeedsEscape(int scalar) => scalar < 0x20 || scalar is '"' or '\\' or 0x7F or 0x2028 or 0x2029;
}
