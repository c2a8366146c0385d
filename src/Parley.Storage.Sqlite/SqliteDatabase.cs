using Microsoft.Extensions.Logging;

namespace Parley.Storage.Sqlite;

/// <summary>What the area stores share: the writer for changes, the reader pool for queries.</summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly SqliteWriter _writer;
    private readonly SqliteReaderPool _readers;
    private readonly SqliteCheckpointer _checkpointer;

    public SqliteDatabase(SqliteStoreOptions options, ILogger logger)
    {
        var connections = new SqliteConnectionFactory(options.Path, logger);
        _writer = new SqliteWriter(connections, options.MaxBatch, logger, options.MaxQueuedWrites);
        _readers = new SqliteReaderPool(connections, Math.Max(4, Environment.ProcessorCount * 2));
        _checkpointer = new SqliteCheckpointer(connections, options.CheckpointInterval, logger);
    }

    public Task<T> ReadAsync<T>(Func<SqliteSession, T> read, CancellationToken cancellationToken) =>
        _readers.ReadAsync(read, cancellationToken);

    public Task<T> WriteAsync<T>(Func<SqliteSession, T> write, CancellationToken cancellationToken) =>
        _writer.WriteAsync(write, cancellationToken);

    public Task WriteAsync(Action<SqliteSession> write, CancellationToken cancellationToken) =>
        _writer.WriteAsync(session =>
        {
            write(session);
            return true;
        }, cancellationToken);

    public Task<T> WriteExclusiveAsync<T>(Func<SqliteSession, T> write, CancellationToken cancellationToken) =>
        _writer.WriteExclusiveAsync(write, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _checkpointer.DisposeAsync();
        await _writer.DisposeAsync();
        await _readers.DisposeAsync();
    }
}
