using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Chat.Accounts;
using Parley.Chat.Cluster;
using Parley.Chat.Conversations;
using Parley.Chat.Files;
using Parley.Chat.Friends;
using Parley.Chat.Groups;
using Parley.Chat.Presence;
using Parley.Chat.Storage;
using Parley.Storage.Sqlite;

namespace Parley.Chat.Tests.Support;

/// <summary>
/// The whole domain on a fresh SQLite file in its own temporary directory, with a fake clock, a
/// recording notifier and cheap password hashing. One per test: <c>await using var chat = await TestChat.StartAsync();</c>.
/// The directory is deleted on dispose.
/// </summary>
public sealed class TestChat : IAsyncDisposable
{
    /// <summary>The password every helper-registered user has.</summary>
    public const string Password = "correct horse battery";

    /// <summary>When every test's clock starts.</summary>
    public static readonly DateTimeOffset Start = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private TestChat(string directory, IChatStore store, ChatOptions options)
    {
        Directory = directory;
        Store = store;
        Options = options;
        var wrapped = Microsoft.Extensions.Options.Options.Create(options);
        Accounts = new AccountService(store, wrapped, Time);
        Friends = new FriendService(store, Accounts, Notifier, Time);
        Messages = new MessageService(store, Notifier, wrapped, Time);
        Groups = new GroupService(store, Accounts, Notifier, wrapped, Time);
        FilesDirectory = Path.Combine(directory, "files");
        Files = new FileService(store, wrapped, Time, FilesDirectory);
        // Presence pushes run from timers; a completing store lets them finish inside Advance.
        Presence = new PresenceService(new CompletingChatStore(store), Notifier, new LocalClusterDirectory(), wrapped, Time, NullLogger<PresenceService>.Instance);
    }

    /// <summary>This test's temporary directory.</summary>
    public string Directory { get; }

    /// <summary>Where <see cref="Files"/> keeps its bytes.</summary>
    public string FilesDirectory { get; }

    public IChatStore Store { get; }

    public ChatOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    public RecordingNotifier Notifier { get; } = new();

    public AccountService Accounts { get; }

    public FriendService Friends { get; }

    public MessageService Messages { get; }

    public GroupService Groups { get; }

    public FileService Files { get; }

    public PresenceService Presence { get; }

    /// <summary>Creates the store (migrated, empty) and the services, with cheap password hashing unless <paramref name="configure"/> says otherwise.</summary>
    public static async Task<TestChat> StartAsync(Action<ChatOptions>? configure = null)
    {
        var options = new ChatOptions { PasswordMemoryKiB = 1024, PasswordIterations = 1 };
        configure?.Invoke(options);
        var directory = Path.Combine(Path.GetTempPath(), "parley-chat-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var store = new SqliteChatStore(new SqliteStoreOptions { Path = Path.Combine(directory, "parley.db") });
        try
        {
            await store.MigrateAsync();
        }
        catch
        {
            await store.DisposeAsync();
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
        return new TestChat(directory, store, options);
    }

    /// <summary>Registers a user with <see cref="Password"/>.</summary>
    public async Task<User> UserAsync(string username, string? displayName = null) =>
        (await Accounts.RegisterAsync(username, Password, displayName)).User;

    /// <summary>Makes two users friends (a asks, b accepts) and forgets the notifications that caused.</summary>
    public async Task BefriendAsync(User a, User b)
    {
        var request = await Friends.RequestAsync(a.Id, b.Username, null);
        await Friends.AcceptAsync(b.Id, request.Id);
        Notifier.Clear();
    }

    /// <summary>Two users who are friends, notifications cleared.</summary>
    public async Task<(User A, User B)> FriendsAsync(string a = "alice", string b = "bob")
    {
        var first = await UserAsync(a);
        var second = await UserAsync(b);
        await BefriendAsync(first, second);
        return (first, second);
    }

    /// <summary>Sends a text message from one user to another.</summary>
    public Task<ChatMessage> SendAsync(User from, User to, string body = "hello", string? clientMsgId = null) =>
        Messages.SendAsync(from.Id, new SendRequest(to.Id, null, body, null, null, clientMsgId));

    /// <summary>Sends a text message to a group.</summary>
    public Task<ChatMessage> SendToGroupAsync(User from, string groupId, string body = "hello", string? clientMsgId = null) =>
        Messages.SendAsync(from.Id, new SendRequest(null, groupId, body, null, null, clientMsgId));

    public async ValueTask DisposeAsync()
    {
        Presence.Dispose();
        await Store.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory must not fail the test that used it.
        }
    }
}
