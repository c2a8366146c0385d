using Parley.Chat.Files;

namespace Parley.Chat.Storage;

/// <summary>Records of uploaded files (the bytes live on disk, see <c>Files.FileService</c>).</summary>
public interface IFileStore
{
    /// <summary>Stores a file record.</summary>
    Task AddFileAsync(StoredFile file, CancellationToken cancellationToken = default);

    /// <summary>A file record by id, or null.</summary>
    Task<StoredFile?> GetFileAsync(string fileId, CancellationToken cancellationToken = default);
}
