using System.Text;
using System.Text.Encodings.Web;

namespace Parley.Testing;

/// <summary>
/// Escapes only what JSON requires (quote, backslash, control characters) and writes everything
/// else as is, emoji included: the built-in encoders escape every character outside the BMP, so
/// a client using them could not show that text crosses the server unchanged.
/// </summary>
public sealed class RawUtf8Encoder : JavaScriptEncoder
{
    public static readonly RawUtf8Encoder Instance = new();

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar < 0x20 || unicodeScalar is '"' or '\\';

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var i = 0; i < textLength; i++)
        {
            if (WillEncode(text[i]))
                return i;
        }
        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var destination = new Span<char>(buffer, bufferLength);
        if (WillEncode(unicodeScalar))
        {
            var escaped = $"\\u{unicodeScalar:x4}";
            numberOfCharactersWritten = escaped.Length;
            return escaped.AsSpan().TryCopyTo(destination);
        }
        var rune = new Rune(unicodeScalar);
        if (rune.TryEncodeToUtf16(destination, out numberOfCharactersWritten))
            return true;
        numberOfCharactersWritten = 0;
        return false;
    }
}
