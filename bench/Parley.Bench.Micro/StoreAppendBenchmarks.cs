using System.Globalization;
using BenchmarkDotNet.Attributes;
using Parley.Chat;
using Parley.Chat.Conversations;
using Parley.Storage.Sqlite;

namespace Parley.Bench.Micro;

/// <summary>
/// <see cref="Parley.Chat.Storage.IConversationStore.AppendAsync"/> on a SQLite file in a temp
/// folder. Each invocation appends 256 one-to-one messages with at most <see cref="InFlight"/>
/// outstanding: at 1 every append is its own transaction; with more in flight the writer commits
/// whatever is queued together (group commit), and the time per append should fall.
/// </summary>
[MemoryDiagnoser]
public class StoreAppendBenchmarks
{
    private const int AppendsPerInvocation = 256;
    private const int Conversations = 64;

    private readonly Task<AppendResult>[] _pending = new Task<AppendResult>[AppendsPerInvocation];
    private readonly string _body = new('x', 64);
    private string _folder = "";
    private SqliteChatStore _store = null!;
    private (string Id, string[] Members)[] _conversations = [];

    [Params(1, 16, 256)]
    public int InFlight { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = Path.Combine(Path.GetTempPath(), "parley-bench-" + Guid.NewGuid().ToString("N"));
        _store = new SqliteChatStore(new SqliteStoreOptions { Path = Path.Combine(_folder, "bench.db") });
        await _store.MigrateAsync();
        _conversations = new (string, string[])[Conversations];
        for (var i = 0; i < Conversations; i++)
        {
            var a = Ids.New();
            var b = Ids.New();
            _conversations[i] = (ConversationId.ForDirect(a, b), [a, b]);
        }
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvocation, Description = "AppendAsync: 256 messages")]
    public async Task AppendBatch()
    {
        for (var start = 0; start < AppendsPerInvocation; start += InFlight)
        {
            var end = Math.Min(start + InFlight, AppendsPerInvocation);
            for (var i = start; i < end; i++)
            {
                var (conversation, members) = _conversations[i % Conversations];
                var from = members[i & 1];
                _pending[i] = _store.Conversations.AppendAsync(new NewMessage(
                    conversation, Ids.New(), from, _body, MessageKind.Text, DateTimeOffset.UtcNow,
                    i.ToString(CultureInfo.InvariantCulture) + "-" + Ids.New(), null, members));
            }
            await Task.WhenAll(_pending.AsSpan(start, end - start));
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
