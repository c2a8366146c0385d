using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Parley.Chat.Storage;

namespace Parley.Storage.Sqlite;

/// <summary>
/// The only connection that writes. Callers queue operations; the writer takes everything queued
/// (up to the batch limit) and runs it in one transaction, so a burst of appends costs one commit
/// (group commit) instead of one fsync each. Each operation runs inside its own savepoint: one that
/// throws is rolled back alone and fails only its caller. Results are released after the commit.
/// The queue is bounded: past <c>maxQueued</c> waiting writes a new one is refused at once with
/// <see cref="StoreUnavailableException"/> (a 503 for the client), instead of memory and latency
/// growing without end under overload.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable
{
    private const string Savepoint = "op";

    private readonly Channel<WriteOperation> _queue =
        Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnectionFactory _connections;
    private readonly int _maxBatch;
    private readonly int _maxQueued;
    private readonly ILogger _logger;
    private readonly List<WriteOperation> _batch = [];
    private readonly List<WriteOperation> _done = [];
    private readonly Task _loop;
    private SqliteSession? _session;
    private WriteOperation? _carried;
    private int _queued;

    public SqliteWriter(SqliteConnectionFactory connections, int maxBatch, ILogger logger, int maxQueued = 10_000)
    {
        _connections = connections;
        _maxBatch = maxBatch;
        _maxQueued = maxQueued;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues work for the next batch transaction.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteSession, T> work, CancellationToken cancellationToken) =>
        Enqueue(new WriteOperation<T>(work, exclusive: false), cancellationToken);

    /// <summary>Queues work that runs alone, outside a batch, and opens its own transactions.</summary>
    public Task<T> WriteExclusiveAsync<T>(Func<SqliteSession, T> work, CancellationToken cancellationToken) =>
        Enqueue(new WriteOperation<T>(work, exclusive: true), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // Everything already queued is still written; then the connection closes (which
        // checkpoints the WAL into the database file).
        _queue.Writer.TryComplete();
        await _loop;
        _session?.Dispose();
        _session = null;
    }

    private Task<T> Enqueue<T>(WriteOperation<T> operation, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<T>(cancellationToken);
        if (Interlocked.Increment(ref _queued) > _maxQueued)
        {
            Interlocked.Decrement(ref _queued);
            return Task.FromException<T>(new StoreUnavailableException("The store is busy: too many writes are waiting. Nothing was saved; try again."));
        }
        operation.CancelWith(cancellationToken);
        if (!_queue.Writer.TryWrite(operation))
        {
            Interlocked.Decrement(ref _queued);
            throw new ObjectDisposedException(nameof(SqliteChatStore));
        }
        return operation.Task;
    }

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (_carried is not null || await reader.WaitToReadAsync())
        {
            if (_carried is { } exclusive)
            {
                _carried = null;
                Guard(() => RunExclusive(exclusive), [exclusive]);
                continue;
            }

            _batch.Clear();
            while (_batch.Count < _maxBatch && reader.TryRead(out var operation))
            {
                Interlocked.Decrement(ref _queued);
                if (!operation.TryClaim())
                    continue; // cancelled while queued
                if (operation.Exclusive)
                {
                    _carried = operation;
                    break;
                }
                _batch.Add(operation);
            }
            if (_batch.Count > 0)
                Guard(() => RunBatch(_batch), _batch);
        }
    }

    /// <summary>The loop must survive a bug in itself: fail the operations at hand and go on.</summary>
    private void Guard(Action run, List<WriteOperation> operations)
    {
        try
        {
            run();
        }
#pragma warning disable CA1031 // the writer loop is the last line of defence; callers get the exception
        catch (Exception e)
#pragma warning restore CA1031
        {
            SqliteChatStore.Log.WriterFailed(_logger, e);
            foreach (var operation in operations)
                operation.Fail(SqliteErrors.Map(e)); // no-op for those already completed
            ResetConnection();
        }
    }

    private void RunBatch(List<WriteOperation> batch)
    {
        if (OpenSession(batch) is not { } session)
            return;

        try
        {
            session.Execute("BEGIN IMMEDIATE");
        }
        catch (SqliteException e)
        {
            FailAll(batch, 0, SqliteErrors.Map(e));
            ResetConnectionAfter(e);
            return;
        }

        _done.Clear();
        for (var i = 0; i < batch.Count; i++)
        {
            var operation = batch[i];
            try
            {
                session.Execute("SAVEPOINT " + Savepoint);
                operation.Execute(session);
                session.Execute("RELEASE " + Savepoint);
                _done.Add(operation);
            }
#pragma warning disable CA1031 // an operation's failure belongs to its caller alone
            catch (Exception e)
#pragma warning restore CA1031
            {
                operation.Fail(SqliteErrors.Map(e));
                if (RollBackOperation(session))
                    continue;

                // SQLite rolled back the whole transaction (I/O error, disk full…): the earlier
                // operations of the batch are lost with it, and the rest would meet the same fate.
                SqliteChatStore.Log.BatchLost(_logger, batch.Count, e);
                var lost = new StoreUnavailableException("The SQLite write transaction was rolled back by a database failure.", e);
                foreach (var done in _done)
                    done.Fail(lost);
                FailAll(batch, i + 1, lost);
                ResetConnection();
                return;
            }
        }

        try
        {
            session.Execute("COMMIT");
        }
        catch (SqliteException e)
        {
            SqliteChatStore.Log.BatchLost(_logger, batch.Count, e);
            TryRollBack(session);
            var failure = SqliteErrors.Map(e);
            foreach (var done in _done)
                done.Fail(failure);
            ResetConnectionAfter(e);
            return;
        }

        SqliteChatStore.Log.BatchCommitted(_logger, batch.Count, _done.Count);
        foreach (var done in _done)
            done.Publish();
        _done.Clear();
    }

    private void RunExclusive(WriteOperation operation)
    {
        if (OpenSession([operation]) is not { } session)
            return;
        try
        {
            operation.Execute(session);
            operation.Publish();
        }
#pragma warning disable CA1031 // the caller gets the exception
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (!IsAutocommit(session))
                TryRollBack(session);
            operation.Fail(SqliteErrors.Map(e));
            if (e is SqliteException sqlite)
                ResetConnectionAfter(sqlite);
        }
    }

    private SqliteSession? OpenSession(List<WriteOperation> operations)
    {
        if (_session is not null)
            return _session;
        try
        {
            _session = _connections.OpenWriter();
            return _session;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            SqliteChatStore.Log.OpenFailed(_logger, _connections.Path, e);
            FailAll(operations, 0, SqliteErrors.Map(e));
            return null;
        }
    }

    /// <summary>Undoes the current operation only; false when the enclosing transaction is gone.</summary>
    private static bool RollBackOperation(SqliteSession session)
    {
        if (IsAutocommit(session))
            return false;
        try
        {
            session.Execute("ROLLBACK TO " + Savepoint);
            session.Execute("RELEASE " + Savepoint);
            return true;
        }
        catch (SqliteException)
        {
            TryRollBack(session);
            return false;
        }
    }

    private static void TryRollBack(SqliteSession session)
    {
        try
        {
            if (!IsAutocommit(session))
                session.Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // The connection is reset by the caller; there is nothing more to undo here.
        }
    }

    /// <summary>True when no transaction is open on the connection (SQLite may roll one back by itself).</summary>
    private static bool IsAutocommit(SqliteSession session) =>
        SQLitePCL.raw.sqlite3_get_autocommit(session.Connection.Handle) != 0;

    private static void FailAll(List<WriteOperation> operations, int from, Exception exception)
    {
        for (var i = from; i < operations.Count; i++)
            operations[i].Fail(exception);
    }

    private void ResetConnectionAfter(SqliteException e)
    {
        if (SqliteErrors.IsUnavailable(e))
            ResetConnection();
    }

    /// <summary>Drops a connection that met a database failure; the next batch opens a fresh one.</summary>
    private void ResetConnection()
    {
        if (_session is null)
            return;
        SqliteChatStore.Log.WriterReset(_logger);
        try
        {
            _session.Dispose();
        }
        catch (SqliteException)
        {
            // Closing a broken connection may fail too; it is discarded either way.
        }
        _session = null;
    }
}
