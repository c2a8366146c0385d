namespace Parley.Storage.Postgres;

/// <summary>Where the cluster database is and how the store talks to it.</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>
    /// An Npgsql connection string (<c>Host=…;Port=…;Database=…;Username=…;Password=…</c>). Pool size,
    /// timeouts and TLS are set here too; the database must exist and use the UTF8 encoding.
    /// </summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>How many times a transaction is run again after a deadlock or serialization failure before the caller sees it.</summary>
    public int RetryAttempts { get; set; } = 3;

    /// <summary>
    /// Statements used this often on a connection are prepared on the server (Npgsql auto-prepare),
    /// unless the connection string sets <c>Max Auto Prepare</c> itself. 0 turns it off, which a
    /// pooler in transaction mode without prepared-statement support needs.
    /// </summary>
    public int MaxAutoPrepare { get; set; } = 64;
}
