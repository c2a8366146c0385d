using System.Net;
using System.Net.Sockets;
using Parley.Chat;
using Parley.Chat.Accounts;
using Parley.Chat.Conversations;
using Parley.Chat.Friends;
using Parley.Chat.Groups;
using Parley.Chat.Storage;
using Parley.Chat.Tests.Storage;

namespace Parley.Storage.Postgres.Tests;

/// <summary>
/// The specification against a real PostgreSQL server (<c>PARLEY_TEST_POSTGRES</c>), one fresh
/// database per test, plus what only the cluster store has: several nodes on one database.
/// </summary>
public sealed class PostgresChatStoreTests : ChatStoreSpecification
{
    private readonly List<IAsyncDisposable> _disposables = [];
    private TestDatabase? _database;

    private TestDatabase Database => _database ?? throw new InvalidOperationException("The database is created in InitializeAsync.");

    protected override async Task<IChatStore> CreateStoreAsync()
    {
        _database = await TestDatabase.CreateAsync();
        return await OpenAsync(_database.ConnectionString);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        for (var i = _disposables.Count - 1; i >= 0; i--)
            await _disposables[i].DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    [Fact]
    public async Task MigratingAgainChangesNothing()
    {
        var alice = await NewUserAsync("alice");

        await Store.MigrateAsync();
        var otherNode = await OpenNodeAsync();
        await otherNode.MigrateAsync();

        Assert.Equal(alice, await otherNode.Users.GetUserAsync(alice.Id));
        var versions = await Database.QueryAsync("SELECT version FROM schema_version ORDER BY version", row => row.GetInt32(0));
        Assert.Equal(1, versions[0]);
        Assert.Equal(versions.Distinct(), versions);
    }

    [Fact]
    public async Task NodesStartingAtOnceMigrateAnEmptyDatabaseOnce()
    {
        var database = Track(await TestDatabase.CreateAsync());
        var nodes = new List<IChatStore>();
        for (var i = 0; i < 4; i++)
            nodes.Add(Track(new PostgresChatStore(new PostgresStoreOptions { ConnectionString = database.ConnectionString })));

        await Task.WhenAll(nodes.Select(n => n.MigrateAsync()));

        var versions = await database.QueryAsync("SELECT version FROM schema_version ORDER BY version", row => row.GetInt32(0));
        Assert.Equal(1, versions[0]);
        Assert.Equal(versions.Distinct(), versions);
        var sent = await nodes[0].Conversations.AppendAsync(Message("g-g1", "a"));
        Assert.Equal(sent.Message, await nodes[3].Conversations.GetByIdAsync(sent.Message.Id));
    }

    [Fact]
    public async Task ConcurrentAppendsFromTwoNodesNumberOneConversationWithoutGapsOrDuplicates()
    {
        const int perNode = 150;
        var conversation = ConversationId.ForGroup("g1");
        var otherNode = await OpenNodeAsync();
        IChatStore[] nodes = [Store, otherNode];

        var results = await Task.WhenAll(Enumerable.Range(0, 2 * perNode).Select(i =>
            nodes[i % 2].Conversations.AppendAsync(Message(conversation, "u" + (i % 5), "message " + i, "c" + i, at: i))));

        Assert.All(results, r => Assert.True(r.Created));
        Assert.Equal(Enumerable.Range(1, 2 * perNode).Select(i => (long)i), results.Select(r => r.Message.Seq).Order());
        var stored = await otherNode.Conversations.GetAfterAsync(conversation, 0, 3 * perNode);
        Assert.Equal(results.Select(r => r.Message).OrderBy(m => m.Seq), stored);
        Assert.Equal(2 * perNode, (await Store.Conversations.GetBeforeAsync(conversation, long.MaxValue, 3 * perNode)).Count);
    }

    [Fact]
    public async Task ARetryReachingTwoNodesAtOnceIsStoredOnce()
    {
        var conversation = ConversationId.ForDirect("a", "b");
        var otherNode = await OpenNodeAsync();
        IChatStore[] nodes = [Store, otherNode];
        await AppendAsync(conversation, "b", "before");

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            nodes[i % 2].Conversations.AppendAsync(Message(conversation, "a", "tap", "same-click", members: ["a", "b"]))));

        var created = Assert.Single(results, r => r.Created);
        Assert.Equal(2, created.Message.Seq);
        Assert.All(results, r => Assert.Equal(created.Message, r.Message));
        Assert.Equal(3, (await otherNode.Conversations.AppendAsync(Message(conversation, "b"))).Message.Seq);
    }

    [Fact]
    public async Task ConcurrentAddsFromTwoNodesNeverGoPastTheCap()
    {
        var otherNode = await OpenNodeAsync();
        IChatStore[] nodes = [Store, otherNode];
        await Store.Groups.CreateGroupAsync(new Group("g1", "Team", "owner", At(0)));

        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            nodes[i % 2].Groups.AddMemberAsync(new GroupMember("g1", "u" + i, GroupRole.Member, At(1)), cap: 10)));

        Assert.Equal(9, results.Count(r => r == AddMemberResult.Added));
        Assert.Equal(10, (await otherNode.Groups.ListMembersAsync("g1")).Count);
    }

    [Fact]
    public async Task CrossingFriendRequestsAcceptedAtOnceOnTwoNodesMakeOneFriendship()
    {
        var otherNode = await OpenNodeAsync();
        for (var round = 0; round < 10; round++)
        {
            var (a, b) = ("a" + round, "b" + round);
            var ab = new FriendRequest(Ids.New(), a, b, "", FriendRequestStatus.Pending, At(round));
            var ba = ab with { Id = Ids.New(), From = b, To = a };
            await Store.Friends.AddRequestAsync(ab);
            await Store.Friends.AddRequestAsync(ba);

            var accepted = await Task.WhenAll(
                Store.Friends.AcceptRequestAsync(ab.Id, At(round)),
                otherNode.Friends.AcceptRequestAsync(ba.Id, At(round)));

            Assert.All(accepted, Assert.True);
            Assert.Single(await Store.Friends.ListFriendsAsync(a));
            Assert.Single(await Store.Friends.ListFriendsAsync(b));
        }
    }

    [Fact]
    public async Task AnUnreachableServerFailsWithStoreUnavailable()
    {
        var closedPort = ClosedPort();
        var store = Track(new PostgresChatStore(new PostgresStoreOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={closedPort};Username=postgres;Timeout=5",
        }));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.MigrateAsync());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Users.GetUserAsync("a"));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Conversations.AppendAsync(Message("g-g1", "a")));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Friends.AcceptRequestAsync("r1", At(0)));
    }

    [Fact]
    public async Task AnUnknownDatabaseFailsWithStoreUnavailable()
    {
        var store = Track(new PostgresChatStore(new PostgresStoreOptions
        {
            ConnectionString = Database.ConnectionString.Replace(Database.Name, Database.Name + "_missing", StringComparison.Ordinal),
        }));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.MigrateAsync());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.Users.GetUserAsync("a"));
    }

    [Fact]
    public async Task ConnectionsEndedByTheServerAreReplacedWithoutFailingAnOperation()
    {
        var alice = await NewUserAsync("alice");
        // Several idle connections in the pool, all of which the server is about to end, as a
        // database restart does (57P01 on each, met at its next use).
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Store.Users.GetUserAsync(alice.Id)));

        await Database.TerminateConnectionsAsync();

        // Reads, in parallel and one after another, and a transactional write all succeed: the
        // operation that meets an ended connection runs again on a new one, and the pool drops the
        // other dead ones instead of failing one operation for each.
        var found = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Store.Users.GetUserAsync(alice.Id)));
        Assert.All(found, user => Assert.Equal(alice, user));
        Assert.Equal(alice, await Store.Users.GetUserAsync(alice.Id));
        Assert.True((await Store.Conversations.AppendAsync(Message("g-g1", alice.Id))).Created);
    }

    [Fact]
    public async Task ADatabaseThatIsNotUtf8IsRefusedAtMigration()
    {
        var database = Track(await TestDatabase.CreateAsync(encoding: "SQL_ASCII"));
        var store = Track(new PostgresChatStore(new PostgresStoreOptions { ConnectionString = database.ConnectionString }));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync());

        Assert.Contains("UTF8", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimestampsKeepWholeMillisecondsInUtc()
    {
        var local = new DateTimeOffset(2025, 6, 1, 12, 30, 15, 123, TimeSpan.FromHours(8)).AddTicks(4567);
        var user = new User(Ids.New(), "alice", "Alice", "", false, local, local);
        await Store.Users.CreateUserAsync(user, "hash");

        var sent = await Store.Conversations.AppendAsync(Message("g-g1", "a") with { Timestamp = local });

        var expected = DateTimeOffset.FromUnixTimeMilliseconds(local.ToUnixTimeMilliseconds());
        var read = await Store.Users.GetUserAsync(user.Id);
        Assert.Equal(expected, read!.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal(expected, sent.Message.Timestamp);
        Assert.Equal(expected, (await Store.Conversations.GetByIdAsync(sent.Message.Id))!.Timestamp);
    }

    [Fact]
    public void OptionsAreChecked()
    {
        Assert.Throws<ArgumentException>(() => new PostgresChatStore(new PostgresStoreOptions { ConnectionString = " " }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgresChatStore(new PostgresStoreOptions { ConnectionString = "Host=x", RetryAttempts = -1 }));
    }

    /// <summary>Another node on the test's database, disposed with the test.</summary>
    private async Task<IChatStore> OpenNodeAsync() => Track(await OpenAsync(Database.ConnectionString));

    private static async Task<IChatStore> OpenAsync(string connectionString)
    {
        var store = new PostgresChatStore(new PostgresStoreOptions { ConnectionString = connectionString });
        try
        {
            await store.MigrateAsync();
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    private T Track<T>(T disposable)
        where T : IAsyncDisposable
    {
        _disposables.Add(disposable);
        return disposable;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
