using Parley.Chat.Conversations;
using Parley.Chat.Files;
using Parley.Chat.Notifications;
using Parley.Chat.Storage;

namespace Parley.Server.Api;

/// <summary>
/// Messages as clients see them, with the file's details on file messages, for one answer
/// (history, the conversation list, sync): a page often repeats a file, so each is read once.
/// </summary>
internal sealed class FileDetailsLookup(IChatStore store)
{
    private readonly Dictionary<string, StoredFile?> _seen = new(StringComparer.Ordinal);

    public async ValueTask<MessageEvent> EventAsync(ChatMessage message, CancellationToken ct)
    {
        StoredFile? file = null;
        if (message.FileId is { } fileId && !message.Recalled && !_seen.TryGetValue(fileId, out file))
        {
            file = await store.Files.GetFileAsync(fileId, ct);
            _seen[fileId] = file;
        }
        return MessageEvent.Of(message, file);
    }

    public async ValueTask<List<MessageEvent>> EventsAsync(IReadOnlyList<ChatMessage> messages, CancellationToken ct)
    {
        var events = new List<MessageEvent>(messages.Count);
        foreach (var message in messages)
            events.Add(await EventAsync(message, ct));
        return events;
    }
}
