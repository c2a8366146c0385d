using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Parley.Chat.Storage;

namespace Parley.Chat.Files;

/// <summary>
/// Uploads streamed to disk under their SHA-256 (identical content is stored once), with a size
/// limit, a content type detected from the bytes and a sanitized name. Downloads are for the
/// uploader and the members of a conversation the file was sent to.
/// </summary>
public sealed class FileService
{
    private readonly IChatStore _store;
    private readonly ChatOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the service; <paramref name="directory"/> is where the bytes live.</summary>
    public FileService(IChatStore store, IOptions<ChatOptions> options, TimeProvider time, string directory)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        Directory = directory;
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "tmp"));
    }

    /// <summary>The storage directory.</summary>
    public string Directory { get; }

    /// <summary>Stores an upload. Throws <see cref="ChatErrorKind.TooLarge"/> past the limit, keeping nothing.</summary>
    public async Task<StoredFile> SaveAsync(string uploaderId, Stream content, string? fileName, CancellationToken cancellationToken = default)
    {
        var temp = Path.Combine(Directory, "tmp", Ids.New());
        long size = 0;
        var head = new byte[64];
        var headLength = 0;
        string hash;
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > _options.MaxFileSize)
                        throw new ChatException(ChatErrorKind.TooLarge, "file_too_large", $"A file is at most {_options.MaxFileSize / (1024 * 1024)} MB.");
                    if (headLength < head.Length)
                    {
                        var take = Math.Min(head.Length - headLength, read);
                        Array.Copy(buffer, 0, head, headLength, take);
                        headLength += take;
                    }
                    sha.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }
            if (size == 0)
                throw ChatException.Invalid("file_empty", "The file is empty.");
            hash = Convert.ToHexStringLower(sha.GetHashAndReset());
            var target = PathOf(hash);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                File.Move(temp, target);
            }
            catch (IOException) when (File.Exists(target))
            {
                File.Delete(temp); // the same content is already stored (perhaps by a concurrent upload)
            }
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        var name = FileNames.Sanitize(fileName);
        var type = ContentTypes.Detect(head.AsSpan(0, headLength), name);
        var file = new StoredFile(Ids.New(), hash, size, type, name, uploaderId, _time.GetUtcNow());
        await _store.Files.AddFileAsync(file, cancellationToken);
        return file;
    }

    /// <summary>Opens a file for a user allowed to see it; not found otherwise (no hint that it exists).</summary>
    public async Task<(StoredFile File, Stream Content)> OpenAsync(string userId, string fileId, CancellationToken cancellationToken = default)
    {
        var file = Ids.IsWellFormed(fileId) ? await _store.Files.GetFileAsync(fileId, cancellationToken) : null;
        if (file is null || (file.UploaderId != userId && !await _store.Conversations.IsFileVisibleToAsync(fileId, userId, cancellationToken)))
            throw ChatException.NotFound("file_not_found", "No such file.");
        var path = PathOf(file.Sha256);
        if (!File.Exists(path))
            throw ChatException.NotFound("file_not_found", "No such file.");
        return (file, new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
    }

    private string PathOf(string sha256) => Path.Combine(Directory, sha256[..2], sha256);
}
