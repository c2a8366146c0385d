namespace Parley.Chat.Storage;

/// <summary>
/// Everything the IM persists. SQLite (embedded) and PostgreSQL (cluster) implement it and pass
/// the same specification suite. Stores throw <see cref="StoreUnavailableException"/> when the
/// database cannot be reached, never a provider-specific exception.
/// </summary>
public interface IChatStore : IAsyncDisposable
{
    /// <summary>Accounts and tokens.</summary>
    IUserStore Users { get; }

    /// <summary>Friends, requests, categories, blocks.</summary>
    IFriendStore Friends { get; }

    /// <summary>Messages and read marks.</summary>
    IConversationStore Conversations { get; }

    /// <summary>Groups.</summary>
    IGroupStore Groups { get; }

    /// <summary>File records.</summary>
    IFileStore Files { get; }

    /// <summary>Creates or upgrades the schema (versioned migrations), at start-up.</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);
}
