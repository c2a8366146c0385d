using Parley.Chat.Conversations;
using Parley.Chat.Files;
using Parley.Chat.Presence;

namespace Parley.Chat.Notifications;

/// <summary>
/// A new message, and the shape of every message in history and sync. File messages carry the
/// file's details: whoever may read the message may download the file.
/// </summary>
public sealed record MessageEvent(string Conv, long Seq, string Id, string From, string Body, string Kind, long Ts, string? ClientMsgId, string? FileId, bool Recalled, FileDetails? File = null) : ChatEvent
{
    /// <inheritdoc />
    public override string Type => "message";

    /// <summary>The event for a stored message, with its file's details when it is a file message that was not recalled.</summary>
    public static MessageEvent Of(ChatMessage m, StoredFile? file = null) =>
        new(m.Conversation, m.Seq, m.Id, m.From, m.Body, KindName(m.Kind), m.Timestamp.ToUnixTimeMilliseconds(), m.ClientMsgId, m.FileId, m.Recalled,
            file is not null && !m.Recalled && m.FileId == file.Id ? new FileDetails(file.FileName, file.Size, file.ContentType) : null);

    /// <summary>Wire name of a message kind.</summary>
    public static string KindName(MessageKind kind) => kind switch
    {
        MessageKind.File => "file",
        MessageKind.System => "system",
        _ => "text",
    };
}

/// <summary>A friend's presence as the recipient may see it.</summary>
public sealed record PresenceEvent(string User, string Status, long? LastSeen) : ChatEvent
{
    /// <inheritdoc />
    public override string Type => "presence";

    /// <summary>Wire name of a status.</summary>
    public static string StatusName(PresenceStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>Someone asks to be friends.</summary>
public sealed record FriendRequestEvent(string Id, string From, string FromUsername, string FromDisplayName, string Note, long Ts) : ChatEvent
{
    /// <inheritdoc />
    public override string Type => "friend-request";
}

/// <summary>A friend request was accepted: <see cref="User"/> is now a friend.</summary>
public sealed record FriendAcceptedEvent(string RequestId, string User, string Username, string DisplayName) : ChatEvent
{
    /// <inheritdoc />
    public override string Type => "friend-accepted";
}

/// <summary>A friend request was declined or cancelled.</summary>
public sealed record FriendRequestClosedEvent(string RequestId, string Status) : ChatEvent
{
    /// <inheritdoc />
    public override string Type => "friend-request-closed";
}

/// <summary>A friendship ended.</summary>
public sealed record FriendRemovedEvent(string User) : ChatEvent
{
    /// <inheritdoc />
    public override string Type => "friend-removed";
}

/// <summary>Someone is typing in a conversation (ephemeral, never stored).</summary>
public sealed record TypingEvent(string Conv, string User) : ChatEvent
{
    /// <inheritdoc />
    public override string Type => "typing";
}

/// <summary>A member read a conversation up to <see cref="Seq"/>.</summary>
public sealed record ReadEvent(string Conv, string User, long Seq) : ChatEvent
{
    /// <inheritdoc />
    public override string Type => "read";
}

/// <summary>A message was recalled by its author.</summary>
public sealed record RecalledEvent(string Conv, long Seq, string Id) : ChatEvent
{
    /// <inheritdoc />
    public override string Type => "recalled";
}

/// <summary>A change in a group: <see cref="Type"/> is one of group-added, group-removed, group-member-added, group-member-removed, group-renamed, group-invited, group-role.</summary>
public sealed record GroupEvent(string Type, string Group, string Name, string? User, string? By, string? Role) : ChatEvent
{
    /// <inheritdoc />
    public override string Type { get; } = Type;
}

/// <summary>This session was signed out because the user signed in elsewhere.</summary>
public sealed record KickedEvent(string Reason) : ChatEvent
{
    /// <inheritdoc />
    public override string Type => "kicked";
}

/// <summary>Events may have been missed: call sync.</summary>
public sealed record ResyncEvent : ChatEvent
{
    /// <inheritdoc />
    public override string Type => "resync";
}

/// <summary>A notice from an administrator to everyone online.</summary>
public sealed record NoticeEvent(string Text, string From, long Ts) : ChatEvent
{
    /// <inheritdoc />
    public override string Type => "notice";
}
