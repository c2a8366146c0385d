using Parley.Chat.Notifications;

namespace Parley.Server.Api;

/// <summary>Request and response bodies of the REST API (documented in docs/api.md).</summary>
internal static class ApiDtos
{
    public sealed record RegisterRequest(string? Username, string? Password, string? DisplayName);
    public sealed record LoginRequest(string? Username, string? Password);
    public sealed record SignedInResponse(string UserId, string Token, string Username, string DisplayName);
    public sealed record PasswordRequest(string? CurrentPassword, string? NewPassword);
    public sealed record TokenResponse(string Token);
    public sealed record MeResponse(string UserId, string Username, string DisplayName, string StatusMessage, bool PublicPresence, string Status, bool IsAdmin);
    public sealed record ProfileRequest(string? DisplayName, string? StatusMessage, bool? PublicPresence);
    public sealed record UserSummary(string UserId, string Username, string DisplayName, string? StatusMessage = null, string? Status = null, long? LastSeen = null, string? Category = null);
    public sealed record UserList(IReadOnlyList<UserSummary> Users);
    public sealed record FriendRequestBody(string? To, string? Note);
    public sealed record IdResponse(string Id, string? Status = null);
    public sealed record FriendRequestDto(string Id, string From, string To, string Note, long Ts, UserSummary? FromUser, UserSummary? ToUser);
    public sealed record FriendRequestList(IReadOnlyList<FriendRequestDto> Incoming, IReadOnlyList<FriendRequestDto> Outgoing);
    public sealed record CategoryDto(string Id, string Name, int Position);
    public sealed record FriendList(IReadOnlyList<UserSummary> Friends, IReadOnlyList<CategoryDto> Categories);
    public sealed record NameRequest(string? Name);
    public sealed record CategoryRequest(string? CategoryId);
    public sealed record BlockList(IReadOnlyList<string> Blocked);
    public sealed record GroupDto(string Id, string Name, string OwnerId, long CreatedAt);
    public sealed record GroupList(IReadOnlyList<GroupDto> Groups);
    public sealed record MemberDto(string UserId, string Username, string DisplayName, string Role, string Status);
    public sealed record GroupDetail(string Id, string Name, string OwnerId, long CreatedAt, IReadOnlyList<MemberDto> Members);
    public sealed record UserIdRequest(string? UserId);
    public sealed record RoleRequest(string? Role);
    public sealed record InvitationDto(string Group, string Name, string InvitedBy, long Ts);
    public sealed record InvitationList(IReadOnlyList<InvitationDto> Invitations);
    public sealed record ConversationDto(string Conv, string Kind, string? Peer, string? Group, string? Title, long LastSeq, long ReadSeq, long? PeerReadSeq, int Unread, MessageEvent? LastMessage);
    public sealed record ConversationList(IReadOnlyList<ConversationDto> Conversations);
    public sealed record MessageList(IReadOnlyList<MessageEvent> Messages);

    public sealed record PostMessageRequest(string? Body, string? Kind, string? FileId, string? ClientMsgId);
    public sealed record ReadRequest(long? Seq);
    public sealed record SeqResponse(long Seq);
    public sealed record FileResponse(string FileId, string Name, long Size, string ContentType);
    public sealed record NoticeRequest(string? Text);
}
