namespace Parley.Chat.Conversations;

/// <summary>
/// Conversation ids: <c>d-{a}-{b}</c> for the direct conversation of users a and b (ordinal order,
/// so both sides compute the same id), <c>g-{groupId}</c> for a group's conversation.
/// </summary>
public static class ConversationId
{
    /// <summary>The direct conversation of two users.</summary>
    public static string ForDirect(string userA, string userB) =>
        string.CompareOrdinal(userA, userB) <= 0 ? $"d-{userA}-{userB}" : $"d-{userB}-{userA}";

    /// <summary>A group's conversation.</summary>
    public static string ForGroup(string groupId) => $"g-{groupId}";

    /// <summary>The two users of a direct conversation id, or false.</summary>
    public static bool TryParseDirect(string conversation, out string userA, out string userB)
    {
        userA = userB = "";
        if (!conversation.StartsWith("d-", StringComparison.Ordinal))
            return false;
        var parts = conversation.Split('-');
        if (parts.Length != 3 || !Ids.IsWellFormed(parts[1]) || !Ids.IsWellFormed(parts[2]))
            return false;
        (userA, userB) = (parts[1], parts[2]);
        return true;
    }

    /// <summary>The group of a group conversation id, or false.</summary>
    public static bool TryParseGroup(string conversation, out string groupId)
    {
        groupId = conversation.StartsWith("g-", StringComparison.Ordinal) ? conversation[2..] : "";
        return Ids.IsWellFormed(groupId) && !groupId.Contains('-');
    }
}
