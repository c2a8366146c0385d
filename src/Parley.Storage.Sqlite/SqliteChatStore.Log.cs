using Microsoft.Extensions.Logging;

namespace Parley.Storage.Sqlite;

public sealed partial class SqliteChatStore
{
    internal static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Applied SQLite migration {Version} ({Name})")]
        public static partial void MigrationApplied(ILogger logger, long version, string name);

        [LoggerMessage(2, LogLevel.Warning, "The SQLite schema is at version {Current}, newer than this build knows ({Known})")]
        public static partial void SchemaNewer(ILogger logger, long current, long known);

        [LoggerMessage(3, LogLevel.Warning, "SQLite database {Path} could not switch to WAL (journal mode {Mode}); writes will block reads")]
        public static partial void WalUnavailable(ILogger logger, string path, string mode);

        [LoggerMessage(4, LogLevel.Error, "SQLite database {Path} could not be opened")]
        public static partial void OpenFailed(ILogger logger, string path, Exception exception);

        [LoggerMessage(5, LogLevel.Error, "SQLite write batch of {Count} operations was rolled back")]
        public static partial void BatchLost(ILogger logger, int count, Exception exception);

        [LoggerMessage(6, LogLevel.Warning, "SQLite writer connection dropped after a database failure; the next batch reopens it")]
        public static partial void WriterReset(ILogger logger);

        [LoggerMessage(7, LogLevel.Error, "SQLite writer failed unexpectedly")]
        public static partial void WriterFailed(ILogger logger, Exception exception);

        [LoggerMessage(8, LogLevel.Trace, "SQLite batch of {Count} operations committed, {Committed} of them written")]
        public static partial void BatchCommitted(ILogger logger, int count, int committed);

        [LoggerMessage(9, LogLevel.Warning, "SQLite checkpoint failed; the next one retries")]
        public static partial void CheckpointFailed(ILogger logger, Exception exception);
    }
}
