using Npgsql;

namespace Parley.Storage.Postgres.Tests;

/// <summary>
/// A fresh, empty database on the test server, dropped (with any connection still open) on
/// disposal, so every test has its own and tests run in any order or in parallel.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string Variable = "PARLEY_TEST_POSTGRES";

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The connection string of this database.</summary>
    public string ConnectionString { get; }

    /// <summary>The server the tests run against; a clear failure (never a skip) when it is not configured.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set. The PostgreSQL store tests need a real server: run `./test.sh storage`, " +
                $"or `scripts/postgres.sh start` and set {Variable} to the connection string it prints " +
                "(e.g. Host=127.0.0.1;Port=25432;Username=postgres).");

    public static async Task<TestDatabase> CreateAsync(string encoding = "UTF8")
    {
        var name = "parley_test_" + Guid.NewGuid().ToString("N");
        // template0 with the C locale accepts any encoding, whatever the server's own locale.
        await ExecuteOnServerAsync($"CREATE DATABASE {name} TEMPLATE template0 ENCODING '{encoding}' LC_COLLATE 'C' LC_CTYPE 'C'");
        var connectionString = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name }.ToString();
        return new TestDatabase(name, connectionString);
    }

    /// <summary>Ends every session of this database, as a server restart or an administrator would.</summary>
    public Task TerminateConnectionsAsync() =>
        ExecuteOnServerAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}' AND pid <> pg_backend_pid()");

    public async ValueTask DisposeAsync() =>
        await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");

    /// <summary>Runs one statement on this database, outside any store.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
            rows.Add(map(reader));
        return rows;
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
