using Parley.Chat.Notifications;

namespace Parley.Server.Im;

/// <summary>The data of a request to <c>/service/im/*</c>; each service reads the fields it needs.</summary>
internal sealed record ServiceCommand(
    string? To,
    string? Group,
    string? Body,
    string? Kind,
    string? FileId,
    string? ClientMsgId,
    Dictionary<string, long>? Cursors,
    string? Conv,
    long? Seq,
    string? Status,
    string? Id);

/// <summary>An error in a service result.</summary>
internal sealed record ServiceError(string Code, string Message);

/// <summary>The result of a <c>/service/im/*</c> call: <c>{ok:true,…}</c> or <c>{ok:false,error:{code,message}}</c>.</summary>
internal sealed record ServiceResult(bool Ok, ServiceError? Error = null, string? Conv = null, long? Seq = null, string? Id = null, long? Ts = null, string? Status = null);

/// <summary>The result of <c>/service/im/sync</c>.</summary>
internal sealed record SyncResultDto(bool Ok, IReadOnlyList<MessageEvent> Messages, bool More);
