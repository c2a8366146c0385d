using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;
using Parley.Chat.Storage;

namespace Parley.Storage.Postgres;

/// <summary>
/// What the area stores share: the pooled data source, and the two ways to run an operation on it.
/// Every operation takes a pooled connection for its duration only, so concurrent operations, on
/// this node and on others, run side by side; the server groups the WAL flushes of concurrent
/// commits by itself, which is the group commit the embedded store has to do by hand.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _retryAttempts;
    private readonly ILogger _logger;

    public PostgresDatabase(PostgresStoreOptions options, ILogger logger)
    {
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        var settings = builder.ConnectionStringBuilder;
        if (string.IsNullOrEmpty(settings.ApplicationName))
            settings.ApplicationName = "parley";
        // The same few statements run all day: preparing them once per connection saves the
        // server parsing and planning each call.
        if (settings.MaxAutoPrepare == 0)
            settings.MaxAutoPrepare = options.MaxAutoPrepare;
        _dataSource = builder.Build();
        _retryAttempts = options.RetryAttempts;
        _logger = logger;
    }

    /// <summary>Runs work whose statements each commit by themselves (reads, single-statement writes).</summary>
    public Task<T> RunAsync<T>(Func<PostgresSession, Task<T>> work, CancellationToken cancellationToken) =>
        ExecuteAsync(work, transaction: false, cancellationToken);

    public Task RunAsync(Func<PostgresSession, Task> work, CancellationToken cancellationToken) =>
        ExecuteAsync(async s =>
        {
            await work(s);
            return true;
        }, transaction: false, cancellationToken);

    /// <summary>
    /// Runs work in one read-committed transaction, committed unless the work rolled it back. A
    /// deadlock, a serialization failure or a connection the server ended runs the whole work
    /// again, up to the configured attempts (see <see cref="PostgresErrors.IsRetryable"/>).
    /// </summary>
    public Task<T> TransactAsync<T>(Func<PostgresSession, Task<T>> work, CancellationToken cancellationToken) =>
        ExecuteAsync(work, transaction: true, cancellationToken);

    public Task TransactAsync(Func<PostgresSession, Task> work, CancellationToken cancellationToken) =>
        ExecuteAsync(async s =>
        {
            await work(s);
            return true;
        }, transaction: true, cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private async Task<T> ExecuteAsync<T>(Func<PostgresSession, Task<T>> work, bool transaction, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                if (!transaction)
                    return await work(new PostgresSession(connection, null, cancellationToken));

                // An exception disposes the transaction unfinished, which rolls it back.
                await using var tx = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
                var session = new PostgresSession(connection, tx, cancellationToken);
                var result = await work(session);
                if (!session.RolledBack)
                    await tx.CommitAsync(cancellationToken);
                return result;
            }
            catch (PostgresException e) when (PostgresErrors.IsRetryable(e) && attempt <= _retryAttempts)
            {
                PostgresChatStore.Log.OperationRetried(_logger, attempt, e.SqlState);
                // After a database restart every idle connection is dead: drop them all, so that
                // the retry (and every operation after it) opens a live one.
                if (PostgresErrors.EndedTheConnection(e))
                    _dataSource.Clear();
            }
            catch (Exception e) when (PostgresErrors.Map(e) is { } mapped)
            {
                if (mapped is StoreUnavailableException)
                    PostgresChatStore.Log.Unavailable(_logger, e);
                throw mapped;
            }
        }
    }
}
