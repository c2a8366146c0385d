using Microsoft.Extensions.Logging.Abstractions;
using Parley.Storage.Sqlite;

namespace Parley.Chat.Tests.Storage;

/// <summary>
/// The writer on its own. A first operation holds the writer busy while the next ones queue up,
/// so they are known to share one batch transaction.
/// </summary>
public sealed class SqliteWriterTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "parley-sqlite-tests", Guid.NewGuid().ToString("N"));
    private SqliteWriter? _writer;

    private SqliteWriter Writer => _writer!;

    public async Task InitializeAsync()
    {
        var connections = new SqliteConnectionFactory(Path.Combine(_directory, "writer.db"), NullLogger.Instance);
        _writer = new SqliteWriter(connections, maxBatch: 16, NullLogger.Instance);
        await Writer.WriteExclusiveAsync(s => s.Execute("CREATE TABLE items (name TEXT NOT NULL UNIQUE)"), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_writer is not null)
            await _writer.DisposeAsync();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task AnOperationThatThrowsIsUndoneAloneAndTheRestOfItsBatchCommits()
    {
        using var release = new ManualResetEventSlim();
        var busy = await HoldWriterAsync(Writer, release);
        var before = Insert("before");
        var failing = Writer.WriteAsync<int>(s =>
        {
            s.Execute("INSERT INTO items (name) VALUES ('half-done')");
            throw new InvalidOperationException("refused");
        }, CancellationToken.None);
        var duplicate = Insert("before");
        var after = Insert("after");

        release.Set();

        Assert.True(await busy);
        await before;
        await after;
        Assert.Equal("refused", (await Assert.ThrowsAsync<InvalidOperationException>(() => failing)).Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => duplicate);
        Assert.Equal(["after", "before"], await NamesAsync());
    }

    [Fact]
    public async Task WritesBeyondTheQueueBoundAreRefusedAtOnceAndTheQueuedOnesStillCommit()
    {
        await using var bounded = new SqliteWriter(
            new SqliteConnectionFactory(Path.Combine(_directory, "bounded.db"), NullLogger.Instance), maxBatch: 16, NullLogger.Instance, maxQueued: 3);
        await bounded.WriteExclusiveAsync(s => s.Execute("CREATE TABLE items (name TEXT NOT NULL UNIQUE)"), CancellationToken.None);
        using var release = new ManualResetEventSlim();
        var busy = await HoldWriterAsync(bounded, release);

        var queued = Enumerable.Range(0, 3).Select(i => bounded.WriteAsync(s => s.Execute("INSERT INTO items (name) VALUES ($n)", ("$n", "q" + i)), CancellationToken.None)).ToList();
        var refused = bounded.WriteAsync(s => s.Execute("INSERT INTO items (name) VALUES ('refused')"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<Parley.Chat.Storage.StoreUnavailableException>(() => refused);
        Assert.Contains("busy", error.Message, StringComparison.Ordinal);
        release.Set();
        Assert.True(await busy);
        await Task.WhenAll(queued);
        // The queue drained: the writer takes writes again.
        Assert.Equal(1, await bounded.WriteAsync(s => s.Execute("INSERT INTO items (name) VALUES ('later')"), CancellationToken.None));
        Assert.Equal(4, await bounded.WriteAsync(s => s.ScalarInt64("SELECT count(*) FROM items"), CancellationToken.None));
    }

    [Fact]
    public async Task AnOperationCancelledWhileQueuedIsNeverRun()
    {
        using var release = new ManualResetEventSlim();
        using var cancellation = new CancellationTokenSource();
        var busy = await HoldWriterAsync(Writer, release);
        var cancelled = Writer.WriteAsync(s => s.Execute("INSERT INTO items (name) VALUES ('cancelled')"), cancellation.Token);
        var kept = Insert("kept");

        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        release.Set();

        Assert.True(await busy);
        await kept;
        Assert.Equal(["kept"], await NamesAsync());
    }

    [Fact]
    public async Task ResultsAreReleasedOnlyAfterTheCommit()
    {
        using var release = new ManualResetEventSlim();
        var busy = await HoldWriterAsync(Writer, release);
        var first = Insert("first");
        var second = Writer.WriteAsync(s =>
        {
            // Runs after "first" in the same transaction; the first caller must still be waiting.
            return first.IsCompleted;
        }, CancellationToken.None);

        release.Set();

        await busy;
        await first;
        Assert.False(await second);
    }

    /// <summary>Starts an operation that keeps the writer busy until released; returns once it runs.</summary>
    private static async Task<Task<bool>> HoldWriterAsync(SqliteWriter writer, ManualResetEventSlim release)
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = writer.WriteAsync(_ =>
        {
            running.SetResult();
            return release.Wait(TimeSpan.FromSeconds(30));
        }, CancellationToken.None);
        await running.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return busy;
    }

    private Task<int> Insert(string name) =>
        Writer.WriteAsync(s => s.Execute("INSERT INTO items (name) VALUES ($name)", ("$name", name)), CancellationToken.None);

    private Task<List<string>> NamesAsync() =>
        Writer.WriteAsync(s => s.Query("SELECT name FROM items ORDER BY name", row => row.GetString(0)), CancellationToken.None);
}
