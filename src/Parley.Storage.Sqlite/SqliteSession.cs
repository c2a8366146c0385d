using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Parley.Storage.Sqlite;

/// <summary>
/// One open connection with its commands cached by SQL text, so each statement is prepared once
/// per connection rather than once per call. Not thread-safe: the writer owns one, and a reader
/// holds one only while it runs a read.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteSession(SqliteConnection connection) => Connection = connection;

    public SqliteConnection Connection { get; }

    public int Execute(string sql, params ReadOnlySpan<(string Name, object? Value)> args) =>
        Prepare(sql, args).ExecuteNonQuery();

    public long? ScalarInt64(string sql, params ReadOnlySpan<(string Name, object? Value)> args) =>
        Prepare(sql, args).ExecuteScalar() switch
        {
            null or DBNull => null,
            var value => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        };

    public string? ScalarString(string sql, params ReadOnlySpan<(string Name, object? Value)> args) =>
        Prepare(sql, args).ExecuteScalar() switch
        {
            null or DBNull => null,
            var value => Convert.ToString(value, CultureInfo.InvariantCulture),
        };

    public List<T> Query<T>(string sql, Func<SqliteDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> args)
    {
        var rows = new List<T>();
        using var reader = Prepare(sql, args).ExecuteReader();
        while (reader.Read())
            rows.Add(map(reader));
        return rows;
    }

    public T? QuerySingle<T>(string sql, Func<SqliteDataReader, T> map, params ReadOnlySpan<(string Name, object? Value)> args)
        where T : class
    {
        using var reader = Prepare(sql, args).ExecuteReader();
        return reader.Read() ? map(reader) : null;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
            command.Dispose();
        _commands.Clear();
        Connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, ReadOnlySpan<(string Name, object? Value)> args)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
#pragma warning disable CA2100 // every statement is a constant of this assembly; values are bound as parameters
            command.CommandText = sql;
#pragma warning restore CA2100
            _commands.Add(sql, command);
        }
        command.Parameters.Clear();
        foreach (var (name, value) in args)
            command.Parameters.AddWithValue(name, ToDb(value));
        return command;
    }

    private static object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset at => at.ToUnixTimeMilliseconds(),
        bool flag => flag ? 1L : 0L,
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
        _ => value,
    };
}
