using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Chat.Storage;

namespace Parley.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode, one writer connection that commits queued
/// writes in batches (group commit), a pool of read connections, and versioned migrations.
/// Call <see cref="MigrateAsync"/> once at start-up, before any other use.
/// </summary>
public sealed partial class SqliteChatStore : IChatStore
{
    private readonly SqliteDatabase _db;
    private readonly ILogger _logger;

    /// <summary>Prepares the store; the file is opened (and created) by the first write or migration.</summary>
    public SqliteChatStore(SqliteStoreOptions options, ILogger<SqliteChatStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Path);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxQueuedWrites, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CheckpointInterval, TimeSpan.Zero);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _db = new SqliteDatabase(options, _logger);
        Users = new SqliteUserStore(_db);
        Friends = new SqliteFriendStore(_db);
        Conversations = new SqliteConversationStore(_db);
        Groups = new SqliteGroupStore(_db);
        Files = new SqliteFileStore(_db);
    }

    /// <inheritdoc />
    public IUserStore Users { get; }

    /// <inheritdoc />
    public IFriendStore Friends { get; }

    /// <inheritdoc />
    public IConversationStore Conversations { get; }

    /// <inheritdoc />
    public IGroupStore Groups { get; }

    /// <inheritdoc />
    public IFileStore Files { get; }

    /// <inheritdoc />
    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        _db.WriteExclusiveAsync(session => SqliteMigrator.Migrate(session, _logger), cancellationToken);

    /// <summary>Writes what is queued, then closes every connection.</summary>
    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
