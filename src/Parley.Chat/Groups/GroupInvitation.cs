namespace Parley.Chat.Groups;

/// <summary>An invitation to join a group, waiting for the invitee.</summary>
public sealed record GroupInvitation(string GroupId, string UserId, string InvitedBy, DateTimeOffset CreatedAt);
