using Microsoft.Data.Sqlite;
using Parley.Chat.Conversations;

namespace Parley.Storage.Sqlite;

/// <summary>Column conversions shared by the area stores.</summary>
internal static class SqliteRows
{
    public const string MessageColumns = "m.conversation, m.seq, m.id, m.sender, m.body, m.kind, m.ts, m.client_msg_id, m.file_id, m.recalled";

    public static DateTimeOffset Time(SqliteDataReader row, int ordinal) =>
        DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(ordinal));

    public static DateTimeOffset? NullableTime(SqliteDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : Time(row, ordinal);

    public static string? NullableString(SqliteDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    /// <summary>A message from <see cref="MessageColumns"/> starting at <paramref name="first"/>.</summary>
    public static ChatMessage Message(SqliteDataReader row, int first = 0) => new(
        Conversation: row.GetString(first),
        Seq: row.GetInt64(first + 1),
        Id: row.GetString(first + 2),
        From: row.GetString(first + 3),
        Body: row.GetString(first + 4),
        Kind: (MessageKind)row.GetInt32(first + 5),
        Timestamp: Time(row, first + 6),
        ClientMsgId: NullableString(row, first + 7),
        FileId: NullableString(row, first + 8),
        Recalled: row.GetInt64(first + 9) != 0);
}
