namespace Parley.Chat.Groups;

/// <summary>A user in a group, with a role.</summary>
public sealed record GroupMember(string GroupId, string UserId, GroupRole Role, DateTimeOffset JoinedAt);
