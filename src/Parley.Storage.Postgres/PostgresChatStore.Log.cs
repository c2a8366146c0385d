using Microsoft.Extensions.Logging;

namespace Parley.Storage.Postgres;

public sealed partial class PostgresChatStore
{
    internal static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Applied PostgreSQL migration {Version} ({Name})")]
        public static partial void MigrationApplied(ILogger logger, long version, string name);

        [LoggerMessage(2, LogLevel.Warning, "The PostgreSQL schema is at version {Current}, newer than this build knows ({Known})")]
        public static partial void SchemaNewer(ILogger logger, long current, long known);

        [LoggerMessage(3, LogLevel.Debug, "PostgreSQL operation retried (attempt {Attempt}) after {SqlState}")]
        public static partial void OperationRetried(ILogger logger, int attempt, string sqlState);

        [LoggerMessage(4, LogLevel.Warning, "PostgreSQL is unavailable")]
        public static partial void Unavailable(ILogger logger, Exception exception);

        [LoggerMessage(5, LogLevel.Debug, "PostgreSQL schema is up to date at version {Version}")]
        public static partial void SchemaCurrent(ILogger logger, long version);
    }
}
