using Npgsql;
using Parley.Chat.Files;
using Parley.Chat.Storage;

namespace Parley.Storage.Postgres;

internal sealed class PostgresFileStore(PostgresDatabase db) : IFileStore
{
    public Task AddFileAsync(StoredFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        return db.RunAsync(s => s.ExecuteAsync(
            """
            INSERT INTO files (id, sha256, size, content_type, file_name, uploader_id, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """,
            file.Id, file.Sha256, file.Size, file.ContentType, file.FileName, file.UploaderId, file.CreatedAt), cancellationToken);
    }

    public Task<StoredFile?> GetFileAsync(string fileId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.QuerySingleAsync(
            "SELECT id, sha256, size, content_type, file_name, uploader_id, created_at FROM files WHERE id = $1",
            ReadFile, fileId), cancellationToken);

    private static StoredFile ReadFile(NpgsqlDataReader row) => new(
        Id: row.GetString(0),
        Sha256: row.GetString(1),
        Size: row.GetInt64(2),
        ContentType: row.GetString(3),
        FileName: row.GetString(4),
        UploaderId: row.GetString(5),
        CreatedAt: PostgresRows.Time(row, 6));
}
