using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>UTF-8 end to end: Chinese, emoji (astral and ZWJ sequences) and rare CJK cross REST and Bayeux unchanged, unescaped.</summary>
public sealed class Utf8Tests(AppFixture fixture) : IClassFixture<AppFixture>
{
    public const string Text = "你好，世界！🌏 👨‍👩‍👧‍👦 𠀋𡈽 «ok» é — 表情😀";

    private ParleyApp App => fixture.App;

    private static bool ContainsUtf8(byte[] haystack, string text) => haystack.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    [Theory]
    [InlineData(ImTransport.WebSocket, ImTransport.LongPolling)]
    [InlineData(ImTransport.LongPolling, ImTransport.WebSocket)]
    public async Task ChineseAndEmojiCrossBayeuxByteExact(ImTransport senderTransport, ImTransport receiverTransport)
    {
        await using var a = await App.OnlineAsync("alice", senderTransport);
        await using var b = await App.OnlineAsync("bob", receiverTransport);
        await a.BefriendAsync(b);

        var clientMsgId = ImClient.NewClientMsgId();
        var sent = await a.SendToAsync(b, Text, clientMsgId);
        var received = await b.WaitForMessageAsync(clientMsgId);

        Assert.Equal(Text, received.Str("body"));
        // On the wire as UTF-8, not as \u escapes.
        Assert.Contains(b.Bayeux!.Payloads, p => p.Contains(Text, StringComparison.Ordinal));

        var history = (await b.GetAsync($"/api/conversations/{sent.Str("conv")}/messages")).Expect(HttpStatusCode.OK);
        Assert.True(ContainsUtf8(history.Bytes, Text), history.ToString());
        Assert.Equal(Text, history.Obj["messages"]![0]!.AsObject().Str("body"));

        var synced = await b.SyncAllAsync(new Dictionary<string, long> { [sent.Str("conv")!] = 0 });
        Assert.Equal(Text, Assert.Single(synced).Str("body"));
    }

    [Fact]
    public async Task ChineseAndEmojiCrossRestByteExact()
    {
        await using var a = await App.RegisterAsync("alice", displayName: "小明 🐼");
        await using var b = await App.OnlineAsync("bob");
        await a.BefriendAsync(b);

        var me = (await a.GetAsync("/api/me")).Expect(HttpStatusCode.OK);
        Assert.Equal("小明 🐼", me.Str("displayName"));
        Assert.True(ContainsUtf8(me.Bytes, "小明 🐼"), me.ToString());

        var conv = string.CompareOrdinal(a.UserId, b.UserId) <= 0 ? $"d-{a.UserId}-{b.UserId}" : $"d-{b.UserId}-{a.UserId}";
        var posted = (await a.PostAsync($"/api/conversations/{conv}/messages", new JsonObject { ["body"] = Text })).Expect(HttpStatusCode.Created);
        Assert.Equal(Text, posted.Str("body"));
        Assert.True(ContainsUtf8(posted.Bytes, Text), posted.ToString());

        var received = await b.WaitForAsync("message", d => d.Str("id") == posted.Str("id"));
        Assert.Equal(Text, received.Str("body"));
        Assert.Contains(b.Bayeux!.Payloads, p => p.Contains(Text, StringComparison.Ordinal));

        var friends = (await b.GetAsync("/api/friends")).Expect(HttpStatusCode.OK);
        Assert.True(ContainsUtf8(friends.Bytes, "小明 🐼"), friends.ToString());
        var conversation = (await b.ConversationAsync(conv))!;
        Assert.Equal("小明 🐼", conversation.Str("title"));
    }
}
