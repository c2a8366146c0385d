using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Chat.Storage;

namespace Parley.Storage.Postgres;

/// <summary>
/// The cluster store: PostgreSQL through a pooled <c>NpgsqlDataSource</c>, shared by every node.
/// Per-conversation seqs are assigned under the conversation's row lock inside the append
/// transaction, so appends from any number of nodes never collide or skip. Call
/// <see cref="MigrateAsync"/> at start-up, before any other use; nodes may call it at the same time.
/// </summary>
public sealed partial class PostgresChatStore : IChatStore
{
    private readonly PostgresDatabase _db;
    private readonly ILogger _logger;

    /// <summary>Prepares the store; no connection is opened until the first operation.</summary>
    public PostgresChatStore(PostgresStoreOptions options, ILogger<PostgresChatStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString);
        ArgumentOutOfRangeException.ThrowIfNegative(options.RetryAttempts);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxAutoPrepare);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _db = new PostgresDatabase(options, _logger);
        Users = new PostgresUserStore(_db);
        Friends = new PostgresFriendStore(_db);
        Conversations = new PostgresConversationStore(_db);
        Groups = new PostgresGroupStore(_db);
        Files = new PostgresFileStore(_db);
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
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var (applied, current) = await _db.TransactAsync(PostgresMigrator.MigrateAsync, cancellationToken);
        PostgresMigrator.Report(_logger, applied, current);
    }

    /// <summary>Closes the pooled connections.</summary>
    public ValueTask DisposeAsync() => _db.DisposeAsync();
}
