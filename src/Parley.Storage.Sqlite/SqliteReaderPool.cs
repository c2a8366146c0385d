using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Parley.Storage.Sqlite;

/// <summary>
/// Read connections, opened on demand up to a limit and kept for reuse. In WAL mode each read
/// sees the last committed state without waiting for the writer.
/// </summary>
internal sealed class SqliteReaderPool : IAsyncDisposable
{
    private readonly SqliteConnectionFactory _connections;
    private readonly ConcurrentBag<SqliteSession> _idle = [];
    private readonly SemaphoreSlim _gate;
    private readonly int _size;
    private int _disposed;

    public SqliteReaderPool(SqliteConnectionFactory connections, int size)
    {
        _connections = connections;
        _size = size;
        _gate = new SemaphoreSlim(size, size);
    }

    public async Task<T> ReadAsync<T>(Func<SqliteSession, T> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _gate.WaitAsync(cancellationToken);
        SqliteSession? session = null;
        var reusable = true;
        try
        {
            session = _idle.TryTake(out var idle) ? idle : _connections.OpenReader();
            return read(session);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            // A connection that met a database failure is not trusted again; a refused statement leaves it sound.
            reusable = e is SqliteException sqlite && !SqliteErrors.IsUnavailable(sqlite);
            throw SqliteErrors.Map(e);
        }
        finally
        {
            if (session is not null)
            {
                if (reusable)
                    _idle.Add(session);
                else
                    session.Dispose();
            }
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        // Wait for the reads in flight so that every connection is back before closing them.
        for (var i = 0; i < _size; i++)
            await _gate.WaitAsync();
        while (_idle.TryTake(out var session))
            session.Dispose();
        _gate.Dispose();
    }
}
