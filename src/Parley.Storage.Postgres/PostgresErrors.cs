using System.Net.Sockets;
using Npgsql;
using Parley.Chat.Storage;

namespace Parley.Storage.Postgres;

/// <summary>Turns provider exceptions into the store contract's exceptions.</summary>
internal static class PostgresErrors
{
    /// <summary>
    /// Failures after which nothing of the operation was written and running it again may well
    /// succeed: a deadlock, a serialization failure, and the server ending the connection (57P01,
    /// a restart or <c>pg_terminate_backend</c>) — which aborts whatever the connection had not
    /// committed; a pooled connection meets it on its first use after a database restart.
    /// </summary>
    public static bool IsRetryable(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.AdminShutdown;

    /// <summary>The server ended the connection: the pool's other idle connections are likely gone too.</summary>
    public static bool EndedTheConnection(PostgresException e) => e.SqlState == PostgresErrorCodes.AdminShutdown;

    /// <summary>
    /// True for failures of the database or the way to it, as opposed to a statement the server
    /// refused: the connection (class 08), resources (53: too many connections, disk full), the
    /// server going away (57P01 admin shutdown, 57P02 crash, 57P03 starting up), a statement
    /// timeout (57014), system errors (58), a read-only standby (25006), credentials and an unknown
    /// database (28, 3D000), and transaction conflicts still failing after the retries (40).
    /// </summary>
    public static bool IsUnavailable(PostgresException e) =>
        e.SqlState.Length == 5 && (
            e.SqlState.StartsWith("08", StringComparison.Ordinal)
            || e.SqlState.StartsWith("53", StringComparison.Ordinal)
            || e.SqlState.StartsWith("57", StringComparison.Ordinal)
            || e.SqlState.StartsWith("58", StringComparison.Ordinal)
            || e.SqlState.StartsWith("28", StringComparison.Ordinal)
            || e.SqlState.StartsWith("40", StringComparison.Ordinal)
            || e.SqlState is PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.InvalidCatalogName);

    /// <summary>
    /// The exception a caller sees, or null when <paramref name="exception"/> passes through as it is
    /// (cancellation, argument errors, bugs). The server refusing a statement (a duplicate id, say)
    /// is a caller error and becomes <see cref="InvalidOperationException"/>; anything that keeps the
    /// store from the database (a refused or broken connection, a timeout, a server shutting down)
    /// becomes <see cref="StoreUnavailableException"/>. No Npgsql type leaks out of the store.
    /// </summary>
    public static Exception? Map(Exception exception) => exception switch
    {
        OperationCanceledException => null,
        PostgresException e when IsUnavailable(e) =>
            new StoreUnavailableException($"The PostgreSQL database is unavailable: {e.SqlState} {e.MessageText}", e),
        PostgresException e when e.SqlState.StartsWith("23", StringComparison.Ordinal) =>
            new InvalidOperationException($"The PostgreSQL store refused the write: {e.MessageText} ({e.ConstraintName})", e),
        PostgresException e =>
            new InvalidOperationException($"The PostgreSQL store failed: {e.SqlState} {e.MessageText}", e),
        // Everything else Npgsql raises happened on the client side of the wire: no connection, a
        // broken one, a timeout, an exhausted pool.
        NpgsqlException or SocketException or TimeoutException or IOException =>
            new StoreUnavailableException($"The PostgreSQL database is unavailable: {exception.Message}", exception),
        _ => null,
    };
}
