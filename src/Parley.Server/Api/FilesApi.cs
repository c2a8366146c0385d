using System.Security.Claims;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;
using Parley.Chat;
using Parley.Chat.Files;
using static Parley.Server.Api.ApiDtos;

namespace Parley.Server.Api;

/// <summary>File transfer through the server: streamed multipart upload, authorized download with safe headers.</summary>
internal static class FilesApi
{
    public static void MapFilesApi(this IEndpointRouteBuilder app, long maxFileSize)
    {
        var files = app.MapGroup("/api/files").RequireAuthorization();
        files.MapPost("/", UploadAsync)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttributeLike(maxFileSize + 64 * 1024));
        files.MapGet("/{fileId}", DownloadAsync);
        files.MapGet("/{fileId}/info", InfoAsync);
    }

    // The body is read as a stream, section by section: never buffered whole in memory or on disk twice.
    private static async Task<IResult> UploadAsync(HttpRequest request, ClaimsPrincipal user, FileService files, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw ChatException.Invalid("multipart_expected", "Upload a file as multipart/form-data with a part named \"file\".");
        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
            throw ChatException.Invalid("multipart_expected", "The multipart boundary is missing.");
        var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, request.Body);
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                continue;
            var name = disposition.FileNameStar.HasValue ? disposition.FileNameStar.Value : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
            var stored = await files.SaveAsync(user.UserId(), section.Body, name, ct);
            return TypedResults.Created($"/api/files/{stored.Id}", new FileResponse(stored.Id, stored.FileName, stored.Size, stored.ContentType));
        }
        throw ChatException.Invalid("file_missing", "No file part in the upload.");
    }

    private static async Task<IResult> DownloadAsync(string fileId, ClaimsPrincipal user, FileService files, HttpContext http, CancellationToken ct)
    {
        var (file, content) = await files.OpenAsync(user.UserId(), fileId, ct);
        var headers = http.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; sandbox";
        headers.CacheControl = "private, max-age=31536000, immutable";
        var inline = ContentTypes.IsInlineImage(file.ContentType);
        var disposition = new ContentDispositionHeaderValue(inline ? "inline" : "attachment");
        disposition.SetHttpFileName(file.FileName);
        headers.ContentDisposition = disposition.ToString();
        return TypedResults.Stream(content, file.ContentType, enableRangeProcessing: true);
    }

    // Name, size and type without the bytes (a message pushed live carries only the file id), for
    // exactly those who may download the file.
    private static async Task<IResult> InfoAsync(string fileId, ClaimsPrincipal user, FileService files, CancellationToken ct)
    {
        var (file, content) = await files.OpenAsync(user.UserId(), fileId, ct);
        await content.DisposeAsync();
        return TypedResults.Ok(new FileResponse(file.Id, file.FileName, file.Size, file.ContentType));
    }

    /// <summary>Raises Kestrel's body limit for the upload endpoint only.</summary>
    private sealed class RequestSizeLimitAttributeLike(long bytes) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = bytes;
    }
}
