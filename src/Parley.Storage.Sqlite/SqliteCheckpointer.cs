using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Parley.Storage.Sqlite;

/// <summary>
/// Copies the WAL into the database file on a connection of its own, so the writer never does it.
/// SQLite's automatic checkpoint runs inside the commit that crosses the threshold: that commit
/// then also copies every page and syncs the file, and every write queued behind it waits (the
/// chat benchmark saw half-second stalls). The writer turns it off; this runs a PASSIVE
/// checkpoint at each tick, which never blocks the writer or the readers, and a TRUNCATE one when
/// the WAL has grown past a bound so that it cannot grow without end.
/// </summary>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>WAL frames (pages) past which a checkpoint also truncates the file (~64 MiB).</summary>
    private const long TruncateAbove = 16_384;

    private readonly SqliteConnectionFactory _connections;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;
    private int _disposed;

    public SqliteCheckpointer(SqliteConnectionFactory connections, TimeSpan interval, ILogger logger)
    {
        _connections = connections;
        _logger = logger;
        _timer = new PeriodicTimer(interval);
        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        SqliteSession? session = null;
        try
        {
            while (await _timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    session ??= _connections.OpenCheckpointer();
                    var (_, walFrames, _) = Checkpoint(session, "PASSIVE");
                    if (walFrames > TruncateAbove)
                        Checkpoint(session, "TRUNCATE");
                }
                catch (SqliteException e)
                {
                    // Busy or failing: the next tick tries again on a fresh connection.
                    SqliteChatStore.Log.CheckpointFailed(_logger, e);
                    session?.Dispose();
                    session = null;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            session?.Dispose();
        }
    }

    private static (long Busy, long WalFrames, long Copied) Checkpoint(SqliteSession session, string mode) =>
        session.Query($"PRAGMA wal_checkpoint({mode})", r => (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)))[0];

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await _stop.CancelAsync();
        await _loop;
        _timer.Dispose();
        _stop.Dispose();
    }
}
