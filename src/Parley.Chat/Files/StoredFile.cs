namespace Parley.Chat.Files;

/// <summary>An uploaded file. Content lives on disk under its SHA-256; the record names it.</summary>
/// <param name="Id">The file id clients use.</param>
/// <param name="Sha256">Content hash (hex), the storage key.</param>
/// <param name="ContentType">Detected from the content, never taken from the client.</param>
/// <param name="FileName">Sanitized name for downloads.</param>
public sealed record StoredFile(string Id, string Sha256, long Size, string ContentType, string FileName, string UploaderId, DateTimeOffset CreatedAt);
