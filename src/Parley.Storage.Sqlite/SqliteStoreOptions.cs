namespace Parley.Storage.Sqlite;

/// <summary>Where the embedded database lives and how the writer batches.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The database file. Its directory is created when missing.</summary>
    public string Path { get; set; } = "data/parley.db";

    /// <summary>The most write operations the writer commits in one transaction (group commit).</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>The most writes that may wait for the writer; beyond, writes are refused at once (overload answers 503, never an ever-growing queue).</summary>
    public int MaxQueuedWrites { get; set; } = 10_000;

    /// <summary>How often the WAL is copied into the database file, off the writer (see SqliteCheckpointer).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
