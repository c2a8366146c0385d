using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>A restart on the same data directory loses nothing: history, read marks, unread counts, tokens, and sync resumes from the client's cursors.</summary>
public sealed class RestartTests : IAsyncLifetime
{
    private readonly string _dataDirectory = ParleyApp.NewDataDirectory();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        AppFixture.DeleteDirectory(_dataDirectory);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task HistoryUnreadCountsAndSyncCursorsSurviveARestart()
    {
        string conv;
        ImClient aliceBefore, bobBefore;
        var cursors = new Dictionary<string, long>();
        await using (var first = await ParleyApp.StartAsync(_dataDirectory))
        {
            aliceBefore = await first.OnlineAsync("alice");
            bobBefore = await first.OnlineAsync("bob", ImTransport.LongPolling);
            await aliceBefore.BefriendAsync(bobBefore);
            foreach (var body in new[] { "one", "two", "three" })
            {
                var sent = await aliceBefore.SendToAsync(bobBefore, body);
                var seen = await bobBefore.WaitForAsync("message", d => d.Str("id") == sent.Str("id"));
                cursors[seen.Str("conv")!] = seen.Long("seq")!.Value;
            }
            conv = cursors.Keys.Single();
            Assert.Equal(3, cursors[conv]);
            await bobBefore.CallOkAsync("read", new JsonObject { ["conv"] = conv, ["seq"] = 1 });
            Assert.Equal(2, (await bobBefore.ConversationAsync(conv))!.Long("unread"));
            await aliceBefore.DisposeAsync();
            await bobBefore.DisposeAsync();
        }

        await using var second = await ParleyApp.StartAsync(_dataDirectory);
        await using var alice = second.Resume(aliceBefore);
        await using var bob = second.Resume(bobBefore);

        // History, read mark and unread count as they were; the old tokens still work.
        Assert.Equal(["one", "two", "three"], (await bob.HistoryAsync(conv)).Select(m => m.Str("body")));
        var before = (await bob.ConversationAsync(conv))!;
        Assert.Equal(2, before.Long("unread"));
        Assert.Equal(1, before.Long("readSeq"));
        Assert.Equal(3, before.Long("lastSeq"));

        // Alice writes while bob is away: seq continues where it was.
        await alice.ConnectAsync();
        var four = await alice.SendToAsync(bob, "four");
        var five = await alice.SendToAsync(bob, "five");
        Assert.Equal(4, four.Long("seq"));
        Assert.Equal(5, five.Long("seq"));
        Assert.Equal(conv, four.Str("conv"));

        // Bob comes back and syncs from his cursors: exactly what he missed, in order, once.
        await bob.ConnectAsync(ImTransport.WebSocket);
        var missed = await bob.SyncAllAsync(cursors);
        Assert.Equal(["four", "five"], missed.Select(m => m.Str("body")));
        Assert.Equal([4L, 5L], missed.Select(m => m.Long("seq")!.Value));
        Assert.Empty(await bob.SyncAllAsync(new Dictionary<string, long> { [conv] = 5 }));
        Assert.Equal(4, (await bob.ConversationAsync(conv))!.Long("unread"));

        // A fresh client without cursors starts after the read mark.
        var fresh = await bob.SyncAllAsync();
        Assert.Equal(["two", "three", "four", "five"], fresh.Select(m => m.Str("body")));
        Assert.Equal(5, (await bob.HistoryAsync(conv)).Count);
        (await bob.GetAsync("/api/me")).Expect(HttpStatusCode.OK);
    }
}
