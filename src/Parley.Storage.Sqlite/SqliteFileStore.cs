using Microsoft.Data.Sqlite;
using Parley.Chat.Files;
using Parley.Chat.Storage;

namespace Parley.Storage.Sqlite;

internal sealed class SqliteFileStore(SqliteDatabase db) : IFileStore
{
    public Task AddFileAsync(StoredFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return db.WriteAsync(s => s.Execute(
            """
            INSERT INTO files (id, sha256, size, content_type, file_name, uploader_id, created_at)
            VALUES ($id, $sha, $size, $type, $name, $uploader, $at)
            """,
            ("$id", file.Id), ("$sha", file.Sha256), ("$size", file.Size), ("$type", file.ContentType),
            ("$name", file.FileName), ("$uploader", file.UploaderId), ("$at", file.CreatedAt)), cancellationToken);
    }

    public Task<StoredFile?> GetFileAsync(string fileId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.QuerySingle(
            "SELECT id, sha256, size, content_type, file_name, uploader_id, created_at FROM files WHERE id = $id",
            ReadFile, ("$id", fileId)), cancellationToken);

    private static StoredFile ReadFile(SqliteDataReader row) => new(
        Id: row.GetString(0),
        Sha256: row.GetString(1),
        Size: row.GetInt64(2),
        ContentType: row.GetString(3),
        FileName: row.GetString(4),
        UploaderId: row.GetString(5),
        CreatedAt: SqliteRows.Time(row, 6));
}
