using Microsoft.Extensions.Options;
using Parley.Chat.Files;
using Parley.Chat.Groups;
using Parley.Chat.Notifications;
using Parley.Chat.Storage;

namespace Parley.Chat.Conversations;

/// <summary>
/// Sending, history, sync, read marks, typing and recall. Persist first, deliver second: a
/// message is published only after the store numbered it.
/// </summary>
public sealed class MessageService(IChatStore store, IChatNotifier notifier, IOptions<ChatOptions> options, TimeProvider time)
{
    private const int MaxClientMsgId = 64;
    private const int MaxHistoryPage = 100;
    private readonly ChatOptions _options = options.Value;

    /// <summary>Sends a message. Idempotent on (sender, conversation, clientMsgId): a retry returns the first message and delivers nothing again.</summary>
    public async Task<ChatMessage> SendAsync(string fromId, SendRequest request, CancellationToken cancellationToken = default)
    {
        var kind = request.Kind switch
        {
            null or "" or "text" => MessageKind.Text,
            "file" => MessageKind.File,
            _ => throw ChatException.Invalid("kind_invalid", "kind is \"text\" or \"file\"."),
        };
        var body = request.Body ?? "";
        if (body.Length > _options.MaxMessageLength)
            throw new ChatException(ChatErrorKind.TooLarge, "message_too_long", $"A message is at most {_options.MaxMessageLength} characters.");
        if (kind == MessageKind.Text && string.IsNullOrWhiteSpace(body))
            throw ChatException.Invalid("body_empty", "A text message needs a body.");
        if (request.ClientMsgId is { Length: > MaxClientMsgId })
            throw ChatException.Invalid("client_msg_id_invalid", "clientMsgId is at most 64 characters.");
        StoredFile? file = null;
        if (kind == MessageKind.File)
        {
            file = string.IsNullOrEmpty(request.FileId) ? null : await store.Files.GetFileAsync(request.FileId, cancellationToken);
            if (file is null || file.UploaderId != fromId)
                throw ChatException.Invalid("file_invalid", "A file message needs a file you uploaded.");
        }
        else if (request.FileId is not null)
        {
            throw ChatException.Invalid("file_unexpected", "Only file messages carry a fileId.");
        }

        var (conversation, members, groupId) = await ResolveTargetAsync(fromId, request, cancellationToken);
        var result = await store.Conversations.AppendAsync(new NewMessage(
            conversation, Ids.New(), fromId, body, kind, time.GetUtcNow(), request.ClientMsgId, kind == MessageKind.File ? request.FileId : null, members), cancellationToken);
        if (result.Created)
            await DeliverAsync(MessageEvent.Of(result.Message, file), members, groupId, cancellationToken);
        return result.Message;
    }

    /// <summary>Sends a system message into a conversation on behalf of the system (e.g. group notices).</summary>
    internal async Task<ChatMessage> SendSystemAsync(string conversation, string fromId, string body, IReadOnlyList<string>? members, string? groupId, CancellationToken cancellationToken)
    {
        var result = await store.Conversations.AppendAsync(new NewMessage(conversation, Ids.New(), fromId, body, MessageKind.System, time.GetUtcNow(), null, null, members ?? []), cancellationToken);
        await DeliverAsync(MessageEvent.Of(result.Message), members ?? [], groupId, cancellationToken);
        return result.Message;
    }

    /// <summary>A page of history, oldest first: messages before <paramref name="beforeSeq"/> (the newest when null).</summary>
    public async Task<IReadOnlyList<ChatMessage>> HistoryAsync(string userId, string conversation, long? beforeSeq, int? limit, CancellationToken cancellationToken = default)
    {
        await EnsureMemberAsync(userId, conversation, cancellationToken);
        var size = Math.Clamp(limit ?? 50, 1, MaxHistoryPage);
        return await store.Conversations.GetBeforeAsync(conversation, beforeSeq ?? long.MaxValue, size, cancellationToken);
    }

    /// <summary>
    /// Everything after the client's cursors. Conversations without a cursor start after the
    /// user's read mark, so a fresh client gets its offline notes. Never moves read marks.
    /// </summary>
    public async Task<SyncResult> SyncAsync(string userId, IReadOnlyDictionary<string, long>? cursors, CancellationToken cancellationToken = default)
    {
        var budget = _options.SyncPageSize;
        var messages = new List<ChatMessage>();
        var more = false;
        foreach (var summary in await store.Conversations.ListConversationsAsync(userId, cancellationToken))
        {
            var cursor = cursors is not null && cursors.TryGetValue(summary.Conversation, out var given) ? given : summary.ReadSeq;
            if (summary.LastSeq <= cursor)
                continue;
            if (budget == 0)
            {
                more = true;
                break;
            }
            var page = await store.Conversations.GetAfterAsync(summary.Conversation, cursor, budget, cancellationToken);
            messages.AddRange(page);
            budget -= page.Count;
            if (budget == 0 && page.Count > 0 && page[^1].Seq < summary.LastSeq)
                more = true;
        }
        return new SyncResult(messages, more);
    }

    /// <summary>Moves the user's read mark forward and tells the other side (and the user's other sessions).</summary>
    public async Task<long> MarkReadAsync(string userId, string conversation, long seq, CancellationToken cancellationToken = default)
    {
        await EnsureMemberAsync(userId, conversation, cancellationToken, mustExist: true);
        var before = await store.Conversations.GetReadMarkAsync(conversation, userId, cancellationToken);
        var mark = await store.Conversations.SetReadMarkAsync(conversation, userId, seq, cancellationToken);
        if (mark == before)
            return mark; // nothing new was read: nobody needs to hear it
        var read = new ReadEvent(conversation, userId, mark);
        await notifier.ToUserAsync(userId, read, cancellationToken);
        if (ConversationId.TryParseDirect(conversation, out var a, out var b))
            await notifier.ToUserAsync(a == userId ? b : a, read, cancellationToken);
        return mark;
    }

    /// <summary>Says the user is typing to a user or in a group (ephemeral).</summary>
    public async Task TypingAsync(string userId, string? to, string? group, CancellationToken cancellationToken = default)
    {
        var (conversation, _, groupId) = await ResolveTargetAsync(userId, new SendRequest(to, group, "x", null, null, null), cancellationToken);
        var typing = new TypingEvent(conversation, userId);
        if (groupId is not null)
            await notifier.ToGroupAsync(groupId, typing, cancellationToken);
        else
            await notifier.ToUserAsync(to!, typing, cancellationToken);
    }

    /// <summary>Recalls one's own message within the recall window; everyone sees it as recalled.</summary>
    public async Task<ChatMessage> RecallAsync(string userId, string messageId, CancellationToken cancellationToken = default)
    {
        var message = await store.Conversations.GetByIdAsync(messageId, cancellationToken);
        if (message is null || !await store.Conversations.IsMemberAsync(message.Conversation, userId, cancellationToken))
            throw ChatException.NotFound("message_not_found", "No such message.");
        if (message.From != userId)
            throw ChatException.Forbidden("not_author", "Only the author can recall a message.");
        if (message.Recalled)
            return message;
        if (time.GetUtcNow() - message.Timestamp > _options.RecallWindow)
            throw ChatException.Forbidden("recall_window_passed", $"A message can be recalled within {_options.RecallWindow.TotalMinutes:0} minutes of sending.");
        await store.Conversations.RecallAsync(message.Conversation, message.Seq, cancellationToken);
        var recalled = new RecalledEvent(message.Conversation, message.Seq, message.Id);
        if (ConversationId.TryParseGroup(message.Conversation, out var groupId))
        {
            await notifier.ToGroupAsync(groupId, recalled, cancellationToken);
        }
        else if (ConversationId.TryParseDirect(message.Conversation, out var a, out var b))
        {
            await notifier.ToUserAsync(a, recalled, cancellationToken);
            if (b != a)
                await notifier.ToUserAsync(b, recalled, cancellationToken);
        }
        return message with { Recalled = true, Body = "", FileId = null };
    }

    /// <summary>The user's conversations with unread counts and last messages.</summary>
    public Task<IReadOnlyList<ConversationSummary>> ConversationsAsync(string userId, CancellationToken cancellationToken = default) =>
        store.Conversations.ListConversationsAsync(userId, cancellationToken);

    private async Task EnsureMemberAsync(string userId, string conversation, CancellationToken cancellationToken, bool mustExist = false)
    {
        // A direct conversation exists once a message was exchanged. Reading one that does not
        // exist yet is harmless (it is empty); changing it (read marks) must not create it, nor
        // tell a stranger anything.
        var member = ConversationId.TryParseDirect(conversation, out var a, out var b)
            ? (a == userId || b == userId) && (!mustExist || await store.Conversations.IsMemberAsync(conversation, userId, cancellationToken))
            : ConversationId.TryParseGroup(conversation, out var groupId) && await store.Groups.GetMemberAsync(groupId, userId, cancellationToken) is not null;
        if (!member)
            throw ChatException.NotFound("conversation_not_found", "No such conversation.");
    }

    private async Task<(string Conversation, IReadOnlyList<string> Members, string? GroupId)> ResolveTargetAsync(string fromId, SendRequest request, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(request.To) == !string.IsNullOrEmpty(request.Group))
            throw ChatException.Invalid("target_invalid", "Give exactly one of \"to\" (a userId) and \"group\".");
        if (!string.IsNullOrEmpty(request.Group))
        {
            if (!Ids.IsWellFormed(request.Group) || await store.Groups.GetMemberAsync(request.Group, fromId, cancellationToken) is null)
                throw ChatException.Forbidden("not_member", "You are not a member of that group.");
            return (ConversationId.ForGroup(request.Group), [], request.Group);
        }
        var to = request.To!;
        if (to == fromId)
            throw ChatException.Invalid("cannot_message_self", "You cannot message yourself.");
        if (!Ids.IsWellFormed(to) || await store.Users.GetUserAsync(to, cancellationToken) is null)
            throw ChatException.NotFound("user_not_found", "No such user.");
        if (await store.Friends.IsBlockedAsync(to, fromId, cancellationToken))
            throw ChatException.Forbidden("blocked", "This user does not accept your messages.");
        if (await store.Friends.IsBlockedAsync(fromId, to, cancellationToken))
            throw ChatException.Forbidden("you_blocked", "You blocked this user; unblock them to write.");
        if (_options.DirectMessages == DirectMessagePolicy.Friends && !await store.Friends.AreFriendsAsync(fromId, to, cancellationToken))
            throw ChatException.Forbidden("not_friends", "You can only message friends.");
        return (ConversationId.ForDirect(fromId, to), [fromId, to], null);
    }

    private async Task DeliverAsync(MessageEvent chatEvent, IReadOnlyList<string> members, string? groupId, CancellationToken cancellationToken)
    {
        if (groupId is not null)
        {
            await notifier.ToGroupAsync(groupId, chatEvent, cancellationToken);
            return;
        }
        foreach (var member in members)
            await notifier.ToUserAsync(member, chatEvent, cancellationToken);
    }
}
