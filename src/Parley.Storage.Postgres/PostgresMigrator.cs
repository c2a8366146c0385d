using Microsoft.Extensions.Logging;
using Parley.Chat.Storage;

namespace Parley.Storage.Postgres;

/// <summary>
/// Applies the embedded <c>Migrations/NNN_name.sql</c> scripts in version order, with a
/// <c>schema_version</c> row each, skipping those already applied. Everything runs in one
/// transaction that first takes a transaction-scoped advisory lock, so nodes starting at once
/// queue: the first applies what is missing, the others then find nothing left to do. DDL is
/// transactional in PostgreSQL, so a failing script leaves no half-made schema behind.
/// </summary>
internal static class PostgresMigrator
{
    private const string ResourcePrefix = "Parley.Storage.Postgres.Migrations.";

    // An arbitrary key of this application's own (ASCII "Parley" + 1), scoped to the database.
    private const long LockKey = 0x5061726C_65790001;

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = MigrationScripts.Load(typeof(PostgresMigrator).Assembly, ResourcePrefix);

    /// <summary>Runs in the caller's transaction; returns the migrations it applied and the schema version now in force.</summary>
    public static async Task<(List<(int Version, string Name)> Applied, int Current)> MigrateAsync(PostgresSession session)
    {
        var encoding = await session.ScalarAsync<string>("SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = current_database()");
        if (!string.Equals(encoding, "UTF8", StringComparison.Ordinal))
            throw new InvalidOperationException($"The PostgreSQL database uses the {encoding} encoding; Parley needs UTF8 (CREATE DATABASE … ENCODING 'UTF8').");

        await session.ExecuteAsync("SELECT pg_advisory_xact_lock($1)", LockKey);
        await session.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_version (
                version    integer     NOT NULL PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL
            )
            """);
        var done = (await session.QueryAsync("SELECT version FROM schema_version", row => row.GetInt32(0))).ToHashSet();

        var applied = new List<(int Version, string Name)>();
        foreach (var (version, name, sql) in Migrations)
        {
            if (done.Contains(version))
                continue;
            await session.ExecuteAsync(sql);
            await session.ExecuteAsync(
                "INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)",
                version, name, TimeProvider.System.GetUtcNow());
            applied.Add((version, name));
        }
        var current = done.Concat(applied.Select(a => a.Version)).DefaultIfEmpty(0).Max();
        return (applied, current);
    }

    /// <summary>Logs what <see cref="MigrateAsync"/> did, once its transaction has committed.</summary>
    public static void Report(ILogger logger, List<(int Version, string Name)> applied, int current)
    {
        foreach (var (version, name) in applied)
            PostgresChatStore.Log.MigrationApplied(logger, version, name);
        var known = Migrations.Count == 0 ? 0 : Migrations[^1].Version;
        if (current > known)
            PostgresChatStore.Log.SchemaNewer(logger, current, known);
        else if (applied.Count == 0)
            PostgresChatStore.Log.SchemaCurrent(logger, current);
    }
}
