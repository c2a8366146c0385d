using Parley.Chat.Accounts;
using Parley.Chat.Conversations;
using Parley.Chat.Storage;

namespace Parley.Chat.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IChatStore"/> must have, written against the interfaces only.
/// A store's test class derives from it and supplies a fresh, migrated, empty store per test.
/// Where the interfaces leave a failure open, this suite pins it down: a write that breaks a
/// uniqueness the contract does not turn into <c>false</c> (a duplicate id, a second pending
/// request between the same two users) throws <see cref="InvalidOperationException"/>.
/// User ids are opaque to a store: friendships, groups and conversations are recorded for ids
/// with no account behind them (widget visitors, system senders), so the tests use bare ids.
/// Timestamps are whole milliseconds in UTC, the precision every store keeps.
/// </summary>
public abstract partial class ChatStoreSpecification : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);

    private IChatStore? _store;

    /// <summary>The store under test, created for this test alone.</summary>
    protected IChatStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>A fresh, migrated, empty store.</summary>
    protected abstract Task<IChatStore> CreateStoreAsync();

    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
            await _store.DisposeAsync();
    }

    protected static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    protected async Task<User> NewUserAsync(string username, string? displayName = null, int createdAt = 0)
    {
        var user = new User(Ids.New(), username, displayName ?? username, "", PublicPresence: false, At(createdAt));
        Assert.True(await Store.Users.CreateUserAsync(user, "hash-" + username));
        return user;
    }

    protected static NewMessage Message(
        string conversation, string from, string body = "hello", string? clientMsgId = null, int at = 0,
        MessageKind kind = MessageKind.Text, string? fileId = null, IReadOnlyList<string>? members = null) =>
        new(conversation, Ids.New(), from, body, kind, At(at), clientMsgId, fileId, members ?? [from]);

    /// <summary>Appends a direct message between two users, both recorded as members.</summary>
    protected async Task<ChatMessage> SendDirectAsync(string from, string to, string body = "hello", int at = 0)
    {
        var result = await Store.Conversations.AppendAsync(
            Message(ConversationId.ForDirect(from, to), from, body, at: at, members: [from, to]));
        Assert.True(result.Created);
        return result.Message;
    }

    protected async Task<ChatMessage> AppendAsync(string conversation, string from, string body = "hello", int at = 0)
    {
        var result = await Store.Conversations.AppendAsync(Message(conversation, from, body, at: at));
        Assert.True(result.Created);
        return result.Message;
    }

    /// <summary>Awaits every task, returning each one's exception (null when it succeeded).</summary>
    protected static async Task<Exception?[]> OutcomesAsync(IEnumerable<Task> tasks)
    {
        var all = tasks.ToArray();
        try
        {
            await Task.WhenAll(all);
        }
#pragma warning disable CA1031 // the outcomes are inspected one by one below
        catch (Exception)
#pragma warning restore CA1031
        {
        }
        return [.. all.Select(t => (Exception?)t.Exception?.InnerException)];
    }
}
