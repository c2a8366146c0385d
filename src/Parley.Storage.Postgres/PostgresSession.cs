using Npgsql;

namespace Parley.Storage.Postgres;

/// <summary>
/// One operation's connection, with its transaction when it has one, and its cancellation token.
/// Parameters are positional (<c>$1</c>, <c>$2</c>…), PostgreSQL's own syntax, so Npgsql sends the
/// SQL as it is without rewriting it. Not thread-safe; lives for one operation.
/// </summary>
internal sealed class PostgresSession(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>Set once the work has rolled its transaction back itself; the caller then does not commit.</summary>
    public bool RolledBack { get; private set; }

    public async Task<int> ExecuteAsync(string sql, params object?[] args)
    {
        await using var command = Command(sql, args);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first column of the first row, or null when there is no row (or it holds NULL).</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params object?[] args)
    {
        await using var command = Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken) || await reader.IsDBNullAsync(0, cancellationToken))
            return default;
        return reader.GetFieldValue<T>(0);
    }

    /// <summary>True when the statement returns a row.</summary>
    public async Task<bool> ExistsAsync(string sql, params object?[] args)
    {
        await using var command = Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken);
    }

    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, params object?[] args)
    {
        await using var command = Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(map(reader));
        return rows;
    }

    public async Task<T?> QuerySingleAsync<T>(string sql, Func<NpgsqlDataReader, T> map, params object?[] args)
        where T : class
    {
        await using var command = Command(sql, args);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? map(reader) : null;
    }

    /// <summary>Several statements sent in one round trip; each still sees what the ones before it did.</summary>
    public NpgsqlBatch Batch(params (string Sql, object?[] Args)[] statements)
    {
        var batch = new NpgsqlBatch(connection, transaction);
        foreach (var (sql, args) in statements)
        {
            var statement = new NpgsqlBatchCommand(sql);
            AddParameters(statement.Parameters, args);
            batch.BatchCommands.Add(statement);
        }
        return batch;
    }

    /// <summary>Undoes everything the operation did; the operation still returns its result.</summary>
    public async Task RollbackAsync()
    {
        if (transaction is null)
            throw new InvalidOperationException("This operation runs without a transaction.");
        await transaction.RollbackAsync(cancellationToken);
        RolledBack = true;
    }

    private NpgsqlCommand Command(string sql, object?[] args)
    {
#pragma warning disable CA2100 // every statement is a constant of this assembly; values are bound as parameters
        var command = new NpgsqlCommand(sql, connection, transaction);
#pragma warning restore CA2100
        AddParameters(command.Parameters, args);
        return command;
    }

    private static void AddParameters(NpgsqlParameterCollection parameters, object?[] args)
    {
        foreach (var arg in args)
            parameters.Add(new NpgsqlParameter { Value = PostgresRows.ToDb(arg) });
    }
}
