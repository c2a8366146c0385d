using System.Security.Claims;
using Parley.Chat;
using Parley.Chat.Conversations;
using Parley.Chat.Notifications;
using Parley.Chat.Storage;
using static Parley.Server.Api.ApiDtos;

namespace Parley.Server.Api;

/// <summary>Conversations: the list with unread counts, history pages, sending (bots, the HTML mode), read marks, recall.</summary>
internal static class ConversationsApi
{
    public static void MapConversationsApi(this IEndpointRouteBuilder app)
    {
        var conversations = app.MapGroup("/api/conversations").RequireAuthorization();
        conversations.MapGet("/", ListAsync);
        conversations.MapGet("/{conv}/messages", HistoryAsync);
        conversations.MapPost("/{conv}/messages", PostAsync);
        conversations.MapPost("/{conv}/read", async (string conv, ReadRequest body, ClaimsPrincipal u, MessageService m, CancellationToken ct) =>
            TypedResults.Ok(new SeqResponse(await m.MarkReadAsync(u.UserId(), conv, body.Seq ?? throw ChatException.Invalid("seq_missing", "seq is required."), ct))));
        app.MapPost("/api/messages/{id}/recall", async (string id, ClaimsPrincipal u, MessageService m, CancellationToken ct) =>
            TypedResults.Ok(MessageEvent.Of(await m.RecallAsync(u.UserId(), id, ct)))).RequireAuthorization();
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal principal, MessageService messages, IChatStore store, CancellationToken ct)
    {
        var me = principal.UserId();
        var files = new FileDetailsLookup(store);
        var list = new List<ConversationDto>();
        foreach (var summary in await messages.ConversationsAsync(me, ct))
        {
            string? peer = null, group = null, title = null;
            long? peerReadSeq = null;
            if (ConversationId.TryParseDirect(summary.Conversation, out var a, out var b))
            {
                peer = a == me ? b : a;
                title = (await store.Users.GetUserAsync(peer, ct))?.DisplayName;
                // Lets a client that starts up show "read" under the messages the peer has seen.
                peerReadSeq = await store.Conversations.GetReadMarkAsync(summary.Conversation, peer, ct);
            }
            else if (ConversationId.TryParseGroup(summary.Conversation, out var groupId))
            {
                group = groupId;
                title = (await store.Groups.GetGroupAsync(groupId, ct))?.Name;
            }
            list.Add(new ConversationDto(summary.Conversation, group is null ? "direct" : "group", peer, group, title, summary.LastSeq, summary.ReadSeq, peerReadSeq, summary.Unread,
                summary.LastMessage is null ? null : await files.EventAsync(summary.LastMessage, ct)));
        }
        return TypedResults.Ok(new ConversationList(list));
    }

    private static async Task<IResult> HistoryAsync(string conv, long? before, int? limit, ClaimsPrincipal principal, MessageService messages, IChatStore store, CancellationToken ct)
    {
        var page = await messages.HistoryAsync(principal.UserId(), conv, before, limit, ct);
        return TypedResults.Ok(new MessageList(await new FileDetailsLookup(store).EventsAsync(page, ct)));
    }

    private static async Task<IResult> PostAsync(string conv, PostMessageRequest body, ClaimsPrincipal principal, MessageService messages, CancellationToken ct)
    {
        var me = principal.UserId();
        string? to = null, group = null;
        if (ConversationId.TryParseDirect(conv, out var a, out var b) && (a == me || b == me))
            to = a == me ? b : a;
        else if (ConversationId.TryParseGroup(conv, out var groupId))
            group = groupId;
        else
            throw ChatException.NotFound("conversation_not_found", "No such conversation.");
        var sent = await messages.SendAsync(me, new SendRequest(to, group, body.Body, body.Kind, body.FileId, body.ClientMsgId), ct);
        return TypedResults.Created($"/api/conversations/{conv}/messages?before={sent.Seq + 1}&limit=1", MessageEvent.Of(sent));
    }
}
