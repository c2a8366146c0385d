using Parley.Server.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>Sync in pages (<c>Im:SyncPageSize=2</c>): <c>more:true</c> until everything after the cursors arrived, across conversations, nothing doubled.</summary>
public sealed class SyncPagingTests(SyncPagingTests.Fixture fixture) : IClassFixture<SyncPagingTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string> { ["Im:SyncPageSize"] = "2" };
    }

    [Fact]
    public async Task SyncPagesThroughEveryConversationInOrderWithoutDuplicates()
    {
        var app = fixture.App;
        await using var a = await app.OnlineAsync("alice");
        await using var c = await app.OnlineAsync("carol");
        await using var b = await app.RegisterAsync("bob");
        await a.BefriendAsync(b);
        await c.BefriendAsync(b);
        for (var i = 1; i <= 5; i++)
            await a.SendToAsync(b, $"a{i}");
        for (var i = 1; i <= 3; i++)
            await c.SendToAsync(b, $"c{i}");

        await b.ConnectAsync(ImTransport.LongPolling);
        var first = await b.CallOkAsync("sync", new System.Text.Json.Nodes.JsonObject());
        Assert.Equal(2, first["messages"]!.AsArray().Count);
        Assert.Equal(true, first.Bool("more"));

        var all = await b.SyncAllAsync();
        Assert.Equal(8, all.Count);
        Assert.Equal(8, all.Select(m => (m.Str("conv"), m.Long("seq"))).Distinct().Count());
        Assert.Equal(["a1", "a2", "a3", "a4", "a5"], all.Where(m => m.Str("from") == a.UserId).Select(m => m.Str("body")));
        Assert.Equal(["c1", "c2", "c3"], all.Where(m => m.Str("from") == c.UserId).Select(m => m.Str("body")));
    }
}
