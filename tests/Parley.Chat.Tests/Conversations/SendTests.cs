using Parley.Chat.Conversations;
using Parley.Chat.Notifications;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Conversations;

public sealed class SendTests
{
    [Fact]
    public async Task AMessageBetweenFriendsIsNumberedAndDeliveredToBoth()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var conversation = ConversationId.ForDirect(alice.Id, bob.Id);

        var first = await chat.SendAsync(alice, bob, "hi bob", "c-1");
        var second = await chat.SendAsync(bob, alice, "hi alice", "c-1");
        var third = await chat.SendAsync(alice, bob, "how are you?");

        Assert.Equal([1L, 2L, 3L], [first.Seq, second.Seq, third.Seq]);
        Assert.All(new[] { first, second, third }, m => Assert.Equal(conversation, m.Conversation));
        var expected = new MessageEvent(conversation, 1, first.Id, alice.Id, "hi bob", "text", TestChat.Start.ToUnixTimeMilliseconds(), "c-1", null, false);
        Assert.Equal(expected, chat.Notifier.ToUser<MessageEvent>(bob.Id)[0]);
        Assert.Equal(expected, chat.Notifier.ToUser<MessageEvent>(alice.Id)[0]);
        Assert.Equal([1L, 2L, 3L], chat.Notifier.ToUser<MessageEvent>(bob.Id).Select(m => m.Seq));
        Assert.Equal([1L, 2L, 3L], chat.Notifier.ToUser<MessageEvent>(alice.Id).Select(m => m.Seq));
        Assert.DoesNotContain(chat.Notifier.All, n => n.Target != NotificationTarget.User);
        Assert.Equal([first, second, third], await chat.Messages.HistoryAsync(bob.Id, conversation, null, null));
    }

    [Fact]
    public void BothSidesComputeTheSameDirectConversationId()
    {
        Assert.Equal(ConversationId.ForDirect("aaa", "bbb"), ConversationId.ForDirect("bbb", "aaa"));
        Assert.True(ConversationId.TryParseDirect(ConversationId.ForDirect("f00d", "beef"), out var a, out var b));
        Assert.Equal(("beef", "f00d"), (a, b));
        Assert.False(ConversationId.TryParseDirect("d-a-b-c", out _, out _));
        Assert.False(ConversationId.TryParseDirect("g-abc", out _, out _));
        Assert.True(ConversationId.TryParseGroup(ConversationId.ForGroup("abc123"), out var group));
        Assert.Equal("abc123", group);
        Assert.False(ConversationId.TryParseGroup("d-a-b", out _));
        Assert.False(ConversationId.TryParseGroup("g-", out _));
    }

    [Fact]
    public async Task MessagingANonFriendIsRefusedByDefault()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "not_friends", () => chat.SendAsync(alice, bob));

        Assert.Empty(chat.Notifier.All);
        Assert.Empty(await chat.Messages.ConversationsAsync(bob.Id));
    }

    [Fact]
    public async Task MessagingANonFriendIsAllowedWhenAnyoneMayWrite()
    {
        await using var chat = await TestChat.StartAsync(o => o.DirectMessages = DirectMessagePolicy.Anyone);
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");

        var sent = await chat.SendAsync(alice, bob, "hello stranger");

        Assert.Equal(1, sent.Seq);
        Assert.Equal("hello stranger", Assert.Single(chat.Notifier.ToUser<MessageEvent>(bob.Id)).Body);
    }

    [Fact]
    public async Task MessagingSomeoneWhoBlockedTheSenderIsForbiddenEvenWhenAnyoneMayWrite()
    {
        await using var chat = await TestChat.StartAsync(o => o.DirectMessages = DirectMessagePolicy.Anyone);
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        await chat.Friends.BlockAsync(bob.Id, alice.Id);

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "blocked", () => chat.SendAsync(alice, bob));

        Assert.Empty(chat.Notifier.ToUser<MessageEvent>(bob.Id));
    }

    [Fact]
    public async Task MessagingAFriendWhoBlockedTheSenderIsForbidden()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        await chat.Friends.BlockAsync(bob.Id, alice.Id);

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "blocked", () => chat.SendAsync(alice, bob));
        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "you_blocked", () => chat.SendAsync(bob, alice));
    }

    [Fact]
    public async Task MessagingOneselfOrNobodyIsRefused()
    {
        await using var chat = await TestChat.StartAsync(o => o.DirectMessages = DirectMessagePolicy.Anyone);
        var alice = await chat.UserAsync("alice");

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "cannot_message_self", () => chat.SendAsync(alice, alice));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "user_not_found",
            () => chat.Messages.SendAsync(alice.Id, new SendRequest(Ids.New(), null, "hi", null, null, null)));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "user_not_found",
            () => chat.Messages.SendAsync(alice.Id, new SendRequest("../etc", null, "hi", null, null, null)));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "target_invalid",
            () => chat.Messages.SendAsync(alice.Id, new SendRequest(null, null, "hi", null, null, null)));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "target_invalid",
            () => chat.Messages.SendAsync(alice.Id, new SendRequest(alice.Id, "g1", "hi", null, null, null)));
    }

    [Fact]
    public async Task ARetryWithTheSameClientMsgIdReturnsTheFirstMessageAndDeliversOnce()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        var first = await chat.SendAsync(alice, bob, "only once", "retry-me");
        chat.Time.Advance(TimeSpan.FromSeconds(3));
        var retry = await chat.SendAsync(alice, bob, "only once", "retry-me");

        Assert.Equal(first, retry);
        Assert.Single(chat.Notifier.ToUser<MessageEvent>(bob.Id));
        Assert.Single(chat.Notifier.ToUser<MessageEvent>(alice.Id));
        Assert.Equal(2, (await chat.SendAsync(alice, bob, "next", "another")).Seq);
    }

    [Fact]
    public async Task TheSameClientMsgIdFromTheOtherSideIsADifferentMessage()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        var mine = await chat.SendAsync(alice, bob, "from alice", "1");
        var theirs = await chat.SendAsync(bob, alice, "from bob", "1");

        Assert.NotEqual(mine.Id, theirs.Id);
        Assert.Equal(2, theirs.Seq);
    }

    [Fact]
    public async Task ABodyOverTheLimitIsTooLarge()
    {
        await using var chat = await TestChat.StartAsync(o => o.MaxMessageLength = 10);
        var (alice, bob) = await chat.FriendsAsync();

        await ChatAssert.RefusedAsync(ChatErrorKind.TooLarge, "message_too_long", () => chat.SendAsync(alice, bob, "12345678901"));

        Assert.Equal("1234567890", (await chat.SendAsync(alice, bob, "1234567890")).Body);
        Assert.Equal(1, Assert.Single(chat.Notifier.ToUser<MessageEvent>(bob.Id)).Seq);
    }

    [Fact]
    public async Task ABodyOverTheDefaultLimitIsTooLarge()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        await ChatAssert.RefusedAsync(ChatErrorKind.TooLarge, "message_too_long", () => chat.SendAsync(alice, bob, new string('x', 4_001)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public async Task AnEmptyTextMessageIsInvalid(string? body)
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "body_empty",
            () => chat.Messages.SendAsync(alice.Id, new SendRequest(bob.Id, null, body, "text", null, null)));
    }

    [Fact]
    public async Task AnUnknownKindOrAStrayFileIdOrALongClientMsgIdIsInvalid()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "kind_invalid",
            () => chat.Messages.SendAsync(alice.Id, new SendRequest(bob.Id, null, "hi", "system", null, null)));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "file_unexpected",
            () => chat.Messages.SendAsync(alice.Id, new SendRequest(bob.Id, null, "hi", "text", "abc", null)));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "client_msg_id_invalid",
            () => chat.Messages.SendAsync(alice.Id, new SendRequest(bob.Id, null, "hi", null, null, new string('c', 65))));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "file_invalid",
            () => chat.Messages.SendAsync(alice.Id, new SendRequest(bob.Id, null, "", "file", Ids.New(), null)));
    }

    [Theory]
    [InlineData("你好，世界")]
    [InlineData("😀🎉👩‍👩‍👧‍👦 emoji 🇨🇳")]
    [InlineData("混合 mixed 文本 ✉️ \"quotes\" <b>tags</b> \\ back")]
    public async Task ChineseAndEmojiBodiesRoundTrip(string body)
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        var sent = await chat.SendAsync(alice, bob, body);

        Assert.Equal(body, sent.Body);
        Assert.Equal(body, Assert.Single(chat.Notifier.ToUser<MessageEvent>(bob.Id)).Body);
        Assert.Equal(body, Assert.Single(await chat.Messages.HistoryAsync(bob.Id, sent.Conversation, null, null)).Body);
        Assert.Equal(body, Assert.Single((await chat.Messages.SyncAsync(bob.Id, null)).Messages).Body);
        Assert.Equal(body, Assert.Single(await chat.Messages.ConversationsAsync(bob.Id)).LastMessage?.Body);
    }

    [Fact]
    public async Task TypingReachesThePeerAndIsNotStored()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();

        await chat.Messages.TypingAsync(alice.Id, bob.Id, null);

        Assert.Equal([new TypingEvent(ConversationId.ForDirect(alice.Id, bob.Id), alice.Id)], chat.Notifier.EventsOf(bob.Id));
        Assert.Empty(chat.Notifier.EventsOf(alice.Id));
        Assert.Empty(await chat.Messages.ConversationsAsync(bob.Id));
        Assert.Empty(await chat.Messages.HistoryAsync(bob.Id, ConversationId.ForDirect(alice.Id, bob.Id), null, null));
    }

    [Fact]
    public async Task TypingToAStrangerIsRefused()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "not_friends", () => chat.Messages.TypingAsync(alice.Id, bob.Id, null));

        Assert.Empty(chat.Notifier.All);
    }
}
