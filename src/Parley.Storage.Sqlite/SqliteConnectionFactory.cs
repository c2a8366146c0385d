using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Parley.Storage.Sqlite;

/// <summary>Opens connections to the database file, each with the settings its role needs.</summary>
internal sealed class SqliteConnectionFactory
{
    private const int BusyTimeoutMs = 5000;
    private const long MmapBytes = 256L * 1024 * 1024;

    private readonly string _path;
    private readonly string _connectionString;
    private readonly ILogger _logger;

    public SqliteConnectionFactory(string path, ILogger logger)
    {
        _path = System.IO.Path.GetFullPath(path);
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            // The store keeps its own connections (one writer, a pool of readers) and sets their
            // pragmas once, so the provider's pool would only add a second layer.
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path => _path;

    /// <summary>The one connection that writes. Creates the directory and the file when missing and switches the file to WAL.</summary>
    public SqliteSession OpenWriter()
    {
        var directory = System.IO.Path.GetDirectoryName(_path);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);

        var session = Open();
        try
        {
            // WAL: readers never block the writer nor the writer the readers. With WAL,
            // synchronous=NORMAL syncs at checkpoints rather than at every commit and stays
            // safe against corruption; a power loss may lose only the last commits.
            var mode = session.ScalarString("PRAGMA journal_mode = WAL");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                SqliteChatStore.Log.WalUnavailable(_logger, _path, mode ?? "unknown");
            session.Execute("PRAGMA synchronous = NORMAL");
            // Checkpoints run on the checkpointer's connection, never inside a commit (SqliteCheckpointer).
            session.Execute("PRAGMA wal_autocheckpoint = 0");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>A connection for the read pool; it refuses writes, which all go through the writer.</summary>
    public SqliteSession OpenReader()
    {
        var session = Open();
        try
        {
            session.Execute("PRAGMA query_only = ON");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The connection that copies the WAL into the database file (see <see cref="SqliteCheckpointer"/>).</summary>
    public SqliteSession OpenCheckpointer() => Open();

    private SqliteSession Open()
    {
        var connection = new SqliteConnection(_connectionString);
        var session = new SqliteSession(connection);
        try
        {
            connection.Open();
            session.Execute($"PRAGMA busy_timeout = {BusyTimeoutMs}");
            session.Execute("PRAGMA foreign_keys = ON");
            // Pages are read through a memory map instead of a read() call each.
            session.Execute($"PRAGMA mmap_size = {MmapBytes}");
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
