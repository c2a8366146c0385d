using System.Text.Json;
using Parley.Bayeux.Server;
using Parley.Bayeux.Services;
using Parley.Chat;
using Parley.Chat.Conversations;
using Parley.Chat.Notifications;
using Parley.Chat.Presence;
using Parley.Chat.Storage;
using Parley.Server.Api;

namespace Parley.Server.Im;

/// <summary>
/// The IM requests over Bayeux (<c>/service/im/*</c>, CometD remoteCall convention): each answers
/// <c>{ok:true,…}</c> or <c>{ok:false,error:{code,message}}</c>.
/// </summary>
internal sealed partial class ImServices(MessageService messages, PresenceService presence, IChatStore store, ILogger<ImServices> logger)
{
    public void Register(BayeuxServer bayeux)
    {
        bayeux.AddService("/service/im/send", Handle(SendAsync));
        bayeux.AddService("/service/im/sync", Handle(SyncAsync));
        bayeux.AddService("/service/im/read", Handle(ReadAsync));
        bayeux.AddService("/service/im/typing", Handle(TypingAsync));
        bayeux.AddService("/service/im/presence", Handle(PresenceAsync));
        bayeux.AddService("/service/im/recall", Handle(RecallAsync));
    }

    private async Task<JsonElement> SendAsync(string userId, ServiceRequest request, ServiceCommand command, CancellationToken cancellationToken)
    {
        var sent = await messages.SendAsync(userId, new SendRequest(command.To, command.Group, command.Body, command.Kind, command.FileId, command.ClientMsgId), cancellationToken);
        return ImJson.ToElement(new ServiceResult(true, Conv: sent.Conversation, Seq: sent.Seq, Id: sent.Id, Ts: sent.Timestamp.ToUnixTimeMilliseconds()));
    }

    private async Task<JsonElement> SyncAsync(string userId, ServiceRequest request, ServiceCommand command, CancellationToken cancellationToken)
    {
        var result = await messages.SyncAsync(userId, command.Cursors, cancellationToken);
        return ImJson.ToElement(new SyncResultDto(true, await new FileDetailsLookup(store).EventsAsync(result.Messages, cancellationToken), result.More));
    }

    private async Task<JsonElement> ReadAsync(string userId, ServiceRequest request, ServiceCommand command, CancellationToken cancellationToken)
    {
        if (command.Conv is null || command.Seq is not { } seq)
            throw ChatException.Invalid("read_invalid", "read needs conv and seq.");
        var mark = await messages.MarkReadAsync(userId, command.Conv, seq, cancellationToken);
        return ImJson.ToElement(new ServiceResult(true, Conv: command.Conv, Seq: mark));
    }

    private async Task<JsonElement> TypingAsync(string userId, ServiceRequest request, ServiceCommand command, CancellationToken cancellationToken)
    {
        await messages.TypingAsync(userId, command.To, command.Group, cancellationToken);
        return ImJson.ToElement(new ServiceResult(true));
    }

    private async Task<JsonElement> PresenceAsync(string userId, ServiceRequest request, ServiceCommand command, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<PresenceStatus>(command.Status, ignoreCase: true, out var status) || !Enum.IsDefined(status) || command.Status!.All(char.IsDigit))
            throw ChatException.Invalid("status_invalid", "status is one of online, away, busy, invisible.");
        await presence.SetStatusAsync(userId, request.Session.Id, status);
        var own = await presence.OwnStatusAsync(userId, cancellationToken);
        return ImJson.ToElement(new ServiceResult(true, Status: own.ToString().ToLowerInvariant()));
    }

    private async Task<JsonElement> RecallAsync(string userId, ServiceRequest request, ServiceCommand command, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(command.Id))
            throw ChatException.Invalid("recall_invalid", "recall needs the message id.");
        var recalled = await messages.RecallAsync(userId, command.Id, cancellationToken);
        return ImJson.ToElement(new ServiceResult(true, Conv: recalled.Conversation, Seq: recalled.Seq, Id: recalled.Id));
    }

    private ServiceHandler Handle(Func<string, ServiceRequest, ServiceCommand, CancellationToken, Task<JsonElement>> handler) => async (request, cancellationToken) =>
    {
        if (request.Session.UserId is not { } userId)
            return Failure("unauthorized", "Sign in first: handshake with ext.auth.token.");
        var command = ImJson.FromElement<ServiceCommand>(request.Data);
        if (command is null)
            return Failure("invalid", "The request data must be a JSON object with the documented fields.");
        try
        {
            return await handler(userId, request, command, cancellationToken);
        }
        catch (ChatException ex)
        {
            return Failure(ex.Code, ex.Message);
        }
        catch (StoreUnavailableException ex)
        {
            Log.StoreUnavailable(logger, request.Channel, ex);
            return Failure("unavailable", "The message store is unavailable; nothing was saved. Try again.");
        }
    };

    private static JsonElement Failure(string code, string message) => ImJson.ToElement(new ServiceResult(false, new ServiceError(code, message)));
}
