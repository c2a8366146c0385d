using Microsoft.Data.Sqlite;
using Parley.Chat.Storage;

namespace Parley.Storage.Sqlite;

/// <summary>Turns provider exceptions into the store contract's exceptions.</summary>
internal static class SqliteErrors
{
    // Primary result codes (https://sqlite.org/rescode.html).
    private const int Perm = 3;
    private const int Busy = 5;
    private const int Locked = 6;
    private const int NoMem = 7;
    private const int ReadOnly = 8;
    private const int IoErr = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int Protocol = 15;
    private const int Constraint = 19;
    private const int Auth = 23;
    private const int NotADb = 26;

    public static bool IsConstraint(SqliteException e) => (e.SqliteErrorCode & 0xFF) == Constraint;

    /// <summary>True for failures of the database itself (disk, locks, corruption), as opposed to a refused statement.</summary>
    public static bool IsUnavailable(SqliteException e) =>
        (e.SqliteErrorCode & 0xFF) is Perm or Busy or Locked or NoMem or ReadOnly or IoErr or Corrupt or Full or CantOpen or Protocol or Auth or NotADb;

    /// <summary>
    /// The exception a caller sees. Database failures become <see cref="StoreUnavailableException"/>;
    /// anything else SQLite refused (a duplicate id, say) is a caller error and becomes
    /// <see cref="InvalidOperationException"/>, so no provider type leaks out of the store.
    /// </summary>
    public static Exception Map(Exception exception) => exception switch
    {
        SqliteException e when IsUnavailable(e) => new StoreUnavailableException($"The SQLite database is unavailable: {e.Message}", e),
        SqliteException e when IsConstraint(e) => new InvalidOperationException($"The SQLite store refused the write: {e.Message}", e),
        SqliteException e => new InvalidOperationException($"The SQLite store failed: {e.Message}", e),
        IOException or UnauthorizedAccessException => new StoreUnavailableException($"The SQLite database is unavailable: {exception.Message}", exception),
        _ => exception,
    };
}
