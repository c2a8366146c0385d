using System.Text.Json.Nodes;
using Parley.Server.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>One-to-one messages: live delivery, offline notes through sync, idempotent retries.</summary>
public sealed class DirectMessageTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private ParleyApp App => fixture.App;

    [Theory]
    [InlineData(ImTransport.WebSocket)]
    [InlineData(ImTransport.LongPolling)]
    public async Task MessageToAnOnlineFriendArrivesOnceWithSeqFromBodyAndClientMsgId(ImTransport transport)
    {
        await using var a = await App.OnlineAsync("alice", transport);
        await using var b = await App.OnlineAsync("bob", transport);
        await a.BefriendAsync(b);

        var clientMsgId = ImClient.NewClientMsgId();
        var sent = await a.SendToAsync(b, "hello bob", clientMsgId);

        Assert.StartsWith("d-", sent.Str("conv"));
        Assert.Equal(1, sent.Long("seq"));
        Assert.False(string.IsNullOrEmpty(sent.Str("id")));
        Assert.True(sent.Long("ts") > 0, sent.ToJsonString());

        var received = await b.WaitForMessageAsync(clientMsgId);
        Assert.Equal(b.UserChannel, received.Channel);
        Assert.Equal(sent.Str("conv"), received.Str("conv"));
        Assert.Equal(1, received.Long("seq"));
        Assert.Equal(sent.Str("id"), received.Str("id"));
        Assert.Equal(a.UserId, received.Str("from"));
        Assert.Equal("hello bob", received.Str("body"));
        Assert.Equal("text", received.Str("kind"));
        Assert.Equal(sent.Long("ts"), received.Long("ts"));

        await b.BarrierAsync();
        Assert.Single(b.Events("message", d => d.Str("clientMsgId") == clientMsgId));
    }

    [Fact]
    public async Task MessagesToAnOfflineFriendAreDeliveredBySyncInOrderOnceAtNextLogin()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.RegisterAsync("bob");
        await a.BefriendAsync(b);

        var bodies = new[] { "one", "two", "three" };
        string? conv = null;
        foreach (var body in bodies)
            conv = (await a.SendToAsync(b, body)).Str("conv");

        await b.ConnectAsync();
        var synced = await b.SyncAllAsync();
        var mine = synced.Where(m => m.Str("conv") == conv).ToList();
        Assert.Equal(bodies, mine.Select(m => m.Str("body")));
        Assert.Equal([1L, 2L, 3L], mine.Select(m => m.Long("seq")!.Value));
        Assert.All(mine, m => Assert.Equal(a.UserId, m.Str("from")));

        var again = await b.SyncAllAsync(new Dictionary<string, long> { [conv!] = 3 });
        Assert.Empty(again);

        // They were stored while b was away: b's live session does not get them a second time.
        await b.BarrierAsync();
        Assert.Empty(b.Events("message", d => d.Str("conv") == conv));
    }

    [Fact]
    public async Task SyncNeverMovesTheReadMark()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.RegisterAsync("bob");
        await a.BefriendAsync(b);
        var conv = (await a.SendToAsync(b, "note")).Str("conv")!;

        await b.ConnectAsync();
        Assert.Single(await b.SyncAllAsync());
        Assert.Single(await b.SyncAllAsync());
        Assert.Equal(1, (await b.ConversationAsync(conv))!.Long("unread"));
    }

    [Fact]
    public async Task RetryOfTheSameClientMsgIdReturnsTheSameSeqAndDeliversOnce()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.OnlineAsync("bob");
        await a.BefriendAsync(b);

        var clientMsgId = ImClient.NewClientMsgId();
        var first = await a.SendToAsync(b, "only once", clientMsgId);
        var retry = await a.SendToAsync(b, "only once", clientMsgId);
        Assert.Equal(first.Str("conv"), retry.Str("conv"));
        Assert.Equal(first.Long("seq"), retry.Long("seq"));
        Assert.Equal(first.Str("id"), retry.Str("id"));

        var next = await a.SendToAsync(b, "next");
        Assert.Equal(first.Long("seq") + 1, next.Long("seq"));

        await b.WaitForAsync("message", d => d.Str("id") == next.Str("id"));
        Assert.Single(b.Events("message", d => d.Str("clientMsgId") == clientMsgId));
        Assert.Equal(2, (await b.HistoryAsync(first.Str("conv")!)).Count);
    }

    [Fact]
    public async Task TypingReachesThePeer()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.OnlineAsync("bob");
        await a.BefriendAsync(b);

        await a.CallOkAsync("typing", new JsonObject { ["to"] = b.UserId });

        var typing = await b.WaitForAsync("typing", d => d.Str("user") == a.UserId);
        Assert.StartsWith("d-", typing.Str("conv"));
    }

    [Fact]
    public async Task ReadMarksReachTheSenderAndDropUnreadCounts()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.OnlineAsync("bob");
        await a.BefriendAsync(b);
        await a.SendToAsync(b, "first");
        var second = await a.SendToAsync(b, "second");
        var conv = second.Str("conv")!;
        Assert.Equal(2, (await b.ConversationAsync(conv))!.Long("unread"));

        var read = await b.CallOkAsync("read", new JsonObject { ["conv"] = conv, ["seq"] = 2 });
        Assert.Equal(2, read.Long("seq"));

        var seen = await a.WaitForAsync("read", d => d.Str("conv") == conv && d.Str("user") == b.UserId);
        Assert.Equal(2, seen.Long("seq"));
        Assert.Equal(0, (await b.ConversationAsync(conv))!.Long("unread"));
        Assert.Equal(0, (await a.ConversationAsync(conv))!.Long("unread"));
    }

    [Fact]
    public async Task RecallWithinTheWindowTellsBothSidesAndHistoryShowsItRecalled()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var b = await App.OnlineAsync("bob");
        await a.BefriendAsync(b);
        var sent = await a.SendToAsync(b, "oops");
        await b.WaitForAsync("message", d => d.Str("id") == sent.Str("id"));

        var recall = await a.CallOkAsync("recall", new JsonObject { ["id"] = sent.Str("id") });
        Assert.Equal(sent.Long("seq"), recall.Long("seq"));

        foreach (var side in new[] { a, b })
        {
            var recalled = await side.WaitForAsync("recalled", d => d.Str("id") == sent.Str("id"));
            Assert.Equal(sent.Str("conv"), recalled.Str("conv"));
            Assert.Equal(sent.Long("seq"), recalled.Long("seq"));
        }
        var history = await b.HistoryAsync(sent.Str("conv")!);
        var message = Assert.Single(history);
        Assert.Equal(true, message.Bool("recalled"));
        Assert.NotEqual("oops", message.Str("body"));

        var byOther = await b.CallAsync("recall", new JsonObject { ["id"] = sent.Str("id") });
        Assert.Equal(false, byOther.Bool("ok"));
    }

    [Fact]
    public async Task MessagesToStrangersAreRefusedUnderTheFriendsPolicy()
    {
        await using var a = await App.OnlineAsync("alice");
        await using var stranger = await App.RegisterAsync("stranger");

        var result = await a.CallAsync("send", new JsonObject { ["to"] = stranger.UserId, ["body"] = "hi", ["clientMsgId"] = ImClient.NewClientMsgId() });

        Assert.Equal(false, result.Bool("ok"));
        Assert.Equal("not_friends", result.Obj("error")?.Str("code"));
    }
}
