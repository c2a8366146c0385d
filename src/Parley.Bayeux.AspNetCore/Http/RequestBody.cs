using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Parley.Bayeux.Messages;

namespace Parley.Bayeux.AspNetCore.Http;

/// <summary>Reads a Bayeux request body: raw JSON whatever the content type, or a form with <c>message=</c>.</summary>
internal static class RequestBody
{
    public static async ValueTask<ParseResult> ReadAsync(HttpRequest request, int maxBytes, int maxMessages, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            return new ParseResult(null, "413::message_too_large");
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return new ParseResult(null, "413::message_too_large");
            }
            if (read.IsCompleted)
            {
                try
                {
                    return Parse(buffer, request.ContentType, maxMessages);
                }
                finally
                {
                    reader.AdvanceTo(buffer.End);
                }
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool LooksLikeForm(ReadOnlySpan<byte> body, string? contentType) =>
        body.IndexOf("message="u8) >= 0
        || contentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;

    private static ParseResult Parse(ReadOnlySequence<byte> body, string? contentType, int maxMessages)
    {
        byte[]? rented = null;
        try
        {
            ReadOnlySpan<byte> span;
            if (body.IsSingleSegment)
            {
                span = body.FirstSpan;
            }
            else
            {
                rented = ArrayPool<byte>.Shared.Rent((int)body.Length);
                body.CopyTo(rented);
                span = rented.AsSpan(0, (int)body.Length);
            }
            // Raw JSON whatever the content type (curl and some clients label JSON as a form);
            // otherwise a form carrying message= (Faye's cross-origin transport).
            var trimmed = span.TrimStart(" \t\r\n"u8);
            if (trimmed.IsEmpty || trimmed[0] is (byte)'[' or (byte)'{' || !LooksLikeForm(trimmed, contentType))
                return BayeuxCodec.Parse(span, maxMessages);
            var form = QueryHelpers.ParseQuery("?" + System.Text.Encoding.UTF8.GetString(span));
            return form.TryGetValue("message", out var message) && message.Count == 1
                ? BayeuxCodec.Parse(message.ToString(), maxMessages)
                : new ParseResult(null, "400::message_missing");
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
