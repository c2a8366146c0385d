using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Parley.Chat.Accounts;
using Parley.Chat.Conversations;
using Parley.Chat.Groups;
using Parley.Chat.Storage;
using Parley.Storage.Sqlite;

namespace Parley.Chat.Tests.Storage;

/// <summary>The specification against a temporary database file, plus what only SQLite has: the file itself.</summary>
public sealed class SqliteChatStoreTests : ChatStoreSpecification
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "parley-sqlite-tests", Guid.NewGuid().ToString("N"));

    // The directory does not exist yet: every test also checks that the store creates it.
    private string DatabasePath => Path.Combine(_directory, "data", "parley.db");

    protected override Task<IChatStore> CreateStoreAsync() => OpenAsync(DatabasePath);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task DataSurvivesClosingAndReopeningTheFile()
    {
        var alice = await NewUserAsync("alice", "爱丽丝");
        await Store.Groups.CreateGroupAsync(new Group("g1", "Team", alice.Id, At(0)));
        var conversation = ConversationId.ForGroup("g1");
        var sent = await Store.Conversations.AppendAsync(Message(conversation, alice.Id, "before restart 🚀", "c1"));
        await Store.DisposeAsync();

        await using var reopened = await OpenAsync(DatabasePath);

        Assert.Equal(alice, await reopened.Users.FindByUsernameAsync("alice"));
        Assert.Equal([sent.Message], await reopened.Conversations.GetAfterAsync(conversation, 0, 10));
        var retry = await reopened.Conversations.AppendAsync(Message(conversation, alice.Id, "before restart 🚀", "c1"));
        Assert.False(retry.Created);
        Assert.Equal(2, (await reopened.Conversations.AppendAsync(Message(conversation, alice.Id))).Message.Seq);
        Assert.Equal(GroupRole.Owner, (await reopened.Groups.GetMemberAsync("g1", alice.Id))!.Role);
    }

    [Fact]
    public async Task CommittedWritesReachTheDatabaseFileWhileTheStoreIsOpen()
    {
        // The writer never checkpoints (wal_autocheckpoint = 0); the checkpointer copies the WAL
        // into the database file in the background. Without it the file would stay at its
        // first pages until the store closed.
        var alice = await NewUserAsync("alice");
        await Store.Groups.CreateGroupAsync(new Group("g1", "Team", alice.Id, At(0)));
        var conversation = ConversationId.ForGroup("g1");
        var body = string.Concat(Enumerable.Repeat("检查点把预写日志复制进数据库文件 🗄️", 20));
        for (var i = 0; i < 200; i++)
            await Store.Conversations.AppendAsync(Message(conversation, alice.Id, body, $"c{i}"));

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (new FileInfo(DatabasePath).Length < 200 * Encoding.UTF8.GetByteCount(body))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the database file is still {new FileInfo(DatabasePath).Length} bytes");
            await Task.Delay(20);
        }
        Assert.Equal(200, (await Store.Conversations.GetAfterAsync(conversation, 0, 500)).Count);
    }

    [Fact]
    public async Task MigratingAgainChangesNothing()
    {
        var alice = await NewUserAsync("alice");

        await Store.MigrateAsync();
        await Store.DisposeAsync();
        await using (var reopened = await OpenAsync(DatabasePath))
        {
            await reopened.MigrateAsync();
            Assert.Equal(alice, await reopened.Users.GetUserAsync(alice.Id));
        }

        await using var connection = await OpenRawAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version ORDER BY version";
        var versions = new List<long>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                versions.Add(reader.GetInt64(0));
        }
        Assert.Equal(1L, versions[0]);
        Assert.Equal(versions.Distinct(), versions);
    }

    [Fact]
    public async Task TheDatabaseFileIsInWalMode()
    {
        await NewUserAsync("alice");

        await using var connection = await OpenRawAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ConcurrentWritesShareTransactionsOfAtMostMaxBatch()
    {
        var batches = new BatchLog();
        await using var store = new SqliteChatStore(
            new SqliteStoreOptions { Path = Path.Combine(_directory, "batched.db"), MaxBatch = 8 }, batches);
        await store.MigrateAsync();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            store.Conversations.AppendAsync(Message("g-g1", "a", "m" + i))));

        // Sizes, not timings: how many operations each commit carried.
        Assert.Equal(200, batches.Sizes.Sum());
        Assert.All(batches.Sizes, size => Assert.InRange(size, 1, 8));
        Assert.True(batches.Sizes.Count < 200, $"{batches.Sizes.Count} commits for 200 appends");
    }

    [Fact]
    public async Task AnUnusablePathFailsWithStoreUnavailable()
    {
        Directory.CreateDirectory(_directory);
        await using var store = new SqliteChatStore(new SqliteStoreOptions { Path = _directory });

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.MigrateAsync());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Users.GetUserAsync("a"));
    }

    [Fact]
    public async Task AFileThatIsNotADatabaseFailsWithStoreUnavailable()
    {
        var path = Path.Combine(_directory, "garbage.db");
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Repeat("this is not an SQLite database. ", 200)));
        await using var store = new SqliteChatStore(new SqliteStoreOptions { Path = path });

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.MigrateAsync());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Users.CreateUserAsync(
            new User("a", "alice", "Alice", "", false, At(0)), "hash"));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Users.GetUserAsync("a"));
    }

    [Fact]
    public async Task WritesQueuedBeforeDisposalAreCommitted()
    {
        var path = Path.Combine(_directory, "drain.db");
        var store = await OpenAsync(path);
        var appends = Enumerable.Range(0, 50).Select(i => store.Conversations.AppendAsync(Message("g-g1", "a", "m" + i))).ToArray();

        await store.DisposeAsync();

        Assert.All(appends, a => Assert.True(a.IsCompletedSuccessfully));
        await using var reopened = await OpenAsync(path);
        Assert.Equal(50, (await reopened.Conversations.GetAfterAsync("g-g1", 0, 100)).Count);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.Users.GetUserAsync("a"));
    }

    [Fact]
    public void OptionsAreChecked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteChatStore(new SqliteStoreOptions { Path = DatabasePath, MaxBatch = 0 }));
        Assert.Throws<ArgumentException>(() => new SqliteChatStore(new SqliteStoreOptions { Path = " " }));
    }

    private static async Task<IChatStore> OpenAsync(string path)
    {
        var store = new SqliteChatStore(new SqliteStoreOptions { Path = path });
        try
        {
            await store.MigrateAsync();
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    private async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Collects the writer's "batch committed" events (event id 8).</summary>
    private sealed class BatchLog : ILogger<SqliteChatStore>
    {
        private readonly List<int> _sizes = [];

        public IReadOnlyList<int> Sizes
        {
            get
            {
                lock (_sizes)
                    return [.. _sizes];
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 8 || state is not IReadOnlyList<KeyValuePair<string, object?>> values)
                return;
            var count = values.First(v => v.Key == "Count").Value;
            lock (_sizes)
                _sizes.Add(Convert.ToInt32(count, System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
