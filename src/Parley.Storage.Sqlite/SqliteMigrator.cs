using Microsoft.Extensions.Logging;
using Parley.Chat.Storage;

namespace Parley.Storage.Sqlite;

/// <summary>
/// Applies the embedded <c>Migrations/NNN_name.sql</c> scripts in version order, each in its own
/// transaction together with its <c>schema_version</c> row, skipping those already applied.
/// </summary>
internal static class SqliteMigrator
{
    private const string ResourcePrefix = "Parley.Storage.Sqlite.Migrations.";

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = MigrationScripts.Load(typeof(SqliteMigrator).Assembly, ResourcePrefix);

    /// <summary>Runs on the writer's connection, outside any batch; returns how many migrations it applied.</summary>
    public static int Migrate(SqliteSession session, ILogger logger)
    {
        session.Execute("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at INTEGER NOT NULL
            )
            """);

        var applied = 0;
        foreach (var (version, name, sql) in Migrations)
        {
            // BEGIN IMMEDIATE takes the write lock before the check, so two processes starting
            // on the same file cannot both apply a migration.
            session.Execute("BEGIN IMMEDIATE");
            try
            {
                if (session.ScalarInt64("SELECT 1 FROM schema_version WHERE version = $v", ("$v", version)) is not null)
                {
                    session.Execute("COMMIT");
                    continue;
                }
                session.Execute(sql);
                session.Execute(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES ($v, $n, $at)",
                    ("$v", version), ("$n", name), ("$at", TimeProvider.System.GetUtcNow()));
                session.Execute("COMMIT");
            }
            catch
            {
                RollBack(session);
                throw;
            }
            applied++;
            SqliteChatStore.Log.MigrationApplied(logger, version, name);
        }

        var current = session.ScalarInt64("SELECT max(version) FROM schema_version") ?? 0;
        var known = Migrations.Count == 0 ? 0 : Migrations[^1].Version;
        if (current > known)
            SqliteChatStore.Log.SchemaNewer(logger, current, known);
        return applied;
    }

    private static void RollBack(SqliteSession session)
    {
        try
        {
            session.Execute("ROLLBACK");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // SQLite already rolled back by itself; the original failure is what matters.
        }
    }
}
