using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Chat.Notifications;
using Parley.Server.Api;

namespace Parley.Server.Im;

/// <summary>Source-generated JSON for the IM wire contract: camelCase, enums as strings, nulls left out.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(MessageEvent))]
[JsonSerializable(typeof(PresenceEvent))]
[JsonSerializable(typeof(FriendRequestEvent))]
[JsonSerializable(typeof(FriendAcceptedEvent))]
[JsonSerializable(typeof(FriendRequestClosedEvent))]
[JsonSerializable(typeof(FriendRemovedEvent))]
[JsonSerializable(typeof(TypingEvent))]
[JsonSerializable(typeof(ReadEvent))]
[JsonSerializable(typeof(RecalledEvent))]
[JsonSerializable(typeof(GroupEvent))]
[JsonSerializable(typeof(KickedEvent))]
[JsonSerializable(typeof(ResyncEvent))]
[JsonSerializable(typeof(NoticeEvent))]
[JsonSerializable(typeof(ServiceCommand))]
[JsonSerializable(typeof(ServiceResult))]
[JsonSerializable(typeof(SyncResultDto))]
[JsonSerializable(typeof(ApiDtos.RegisterRequest))]
[JsonSerializable(typeof(ApiDtos.LoginRequest))]
[JsonSerializable(typeof(ApiDtos.SignedInResponse))]
[JsonSerializable(typeof(ApiDtos.PasswordRequest))]
[JsonSerializable(typeof(ApiDtos.TokenResponse))]
[JsonSerializable(typeof(ApiDtos.MeResponse))]
[JsonSerializable(typeof(ApiDtos.ProfileRequest))]
[JsonSerializable(typeof(ApiDtos.UserList))]
[JsonSerializable(typeof(ApiDtos.UserSummary))]
[JsonSerializable(typeof(ApiDtos.FriendRequestBody))]
[JsonSerializable(typeof(ApiDtos.IdResponse))]
[JsonSerializable(typeof(ApiDtos.FriendRequestList))]
[JsonSerializable(typeof(ApiDtos.FriendList))]
[JsonSerializable(typeof(ApiDtos.NameRequest))]
[JsonSerializable(typeof(ApiDtos.CategoryRequest))]
[JsonSerializable(typeof(ApiDtos.BlockList))]
[JsonSerializable(typeof(ApiDtos.GroupList))]
[JsonSerializable(typeof(ApiDtos.GroupDetail))]
[JsonSerializable(typeof(ApiDtos.UserIdRequest))]
[JsonSerializable(typeof(ApiDtos.RoleRequest))]
[JsonSerializable(typeof(ApiDtos.InvitationList))]
[JsonSerializable(typeof(ApiDtos.ConversationList))]
[JsonSerializable(typeof(ApiDtos.MessageList))]
[JsonSerializable(typeof(ApiDtos.PostMessageRequest))]
[JsonSerializable(typeof(ApiDtos.ReadRequest))]
[JsonSerializable(typeof(ApiDtos.SeqResponse))]
[JsonSerializable(typeof(ApiDtos.FileResponse))]
[JsonSerializable(typeof(ApiDtos.NoticeRequest))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
internal sealed partial class ImJsonContext : JsonSerializerContext;
