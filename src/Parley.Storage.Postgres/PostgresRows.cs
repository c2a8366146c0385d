using System.Globalization;
using Npgsql;
using Parley.Chat.Conversations;

namespace Parley.Storage.Postgres;

/// <summary>Value conversions shared by the area stores, both ways.</summary>
internal static class PostgresRows
{
    public const string MessageColumns = "m.conversation, m.seq, m.id, m.sender, m.body, m.kind, m.ts, m.client_msg_id, m.file_id, m.recalled";

    /// <summary>The parameter value for a CLR value: instants at whole milliseconds in UTC, enums as integers.</summary>
    public static object ToDb(object? value) => value switch
    {
        null => DBNull.Value,
        DateTimeOffset at => Milliseconds(at),
        Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <summary>What the store keeps of an instant: whole milliseconds, in UTC (the precision every store shares).</summary>
    public static DateTimeOffset Milliseconds(DateTimeOffset at) =>
        DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    public static DateTimeOffset Time(NpgsqlDataReader row, int ordinal) =>
        row.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? NullableTime(NpgsqlDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : Time(row, ordinal);

    public static string? NullableString(NpgsqlDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    /// <summary>A message from <see cref="MessageColumns"/> starting at <paramref name="first"/>.</summary>
    public static ChatMessage Message(NpgsqlDataReader row, int first = 0) => new(
        Conversation: row.GetString(first),
        Seq: row.GetInt64(first + 1),
        Id: row.GetString(first + 2),
        From: row.GetString(first + 3),
        Body: row.GetString(first + 4),
        Kind: (MessageKind)row.GetInt16(first + 5),
        Timestamp: Time(row, first + 6),
        ClientMsgId: NullableString(row, first + 7),
        FileId: NullableString(row, first + 8),
        Recalled: row.GetBoolean(first + 9));
}
