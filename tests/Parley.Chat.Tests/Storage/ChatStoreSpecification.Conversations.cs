using Parley.Chat.Conversations;
using Parley.Chat.Friends;
using Parley.Chat.Groups;

namespace Parley.Chat.Tests.Storage;

public abstract partial class ChatStoreSpecification
{
    [Fact]
    public async Task AppendNumbersMessagesOneTwoThreeInEachConversation()
    {
        var ab = ConversationId.ForDirect("a", "b");
        var ac = ConversationId.ForDirect("a", "c");

        var seqs = new List<(string, long)>();
        foreach (var conversation in new[] { ab, ac, ab, ab, ac })
            seqs.Add((conversation, (await AppendAsync(conversation, "a")).Seq));

        Assert.Equal([(ab, 1L), (ac, 1L), (ab, 2L), (ab, 3L), (ac, 2L)], seqs);
    }

    [Fact]
    public async Task AnAppendedMessageReadsBackAsItWasStored()
    {
        var conversation = ConversationId.ForDirect("a", "b");
        var message = Message(conversation, "a", "see attached", "client-1", at: 5, MessageKind.File, "file1", ["a", "b"]);

        var result = await Store.Conversations.AppendAsync(message);

        var expected = new ChatMessage(conversation, 1, message.Id, "a", "see attached", MessageKind.File, At(5), "client-1", "file1");
        Assert.True(result.Created);
        Assert.Equal(expected, result.Message);
        Assert.Equal(expected, await Store.Conversations.GetByIdAsync(message.Id));
        Assert.Equal([expected], await Store.Conversations.GetAfterAsync(conversation, 0, 10));
        Assert.Null(await Store.Conversations.GetByIdAsync("unknown"));
    }

    [Fact]
    public async Task RepeatingAClientMsgIdReturnsTheFirstMessageAndStoresNoOther()
    {
        var conversation = ConversationId.ForDirect("a", "b");
        var first = await Store.Conversations.AppendAsync(Message(conversation, "a", "once", "c1"));

        var retry = await Store.Conversations.AppendAsync(Message(conversation, "a", "once again", "c1", at: 9));

        Assert.False(retry.Created);
        Assert.Equal(first.Message, retry.Message);
        Assert.Equal([first.Message], await Store.Conversations.GetAfterAsync(conversation, 0, 10));
        Assert.Equal(2, (await AppendAsync(conversation, "a")).Seq);
    }

    [Fact]
    public async Task TheSameClientMsgIdFromAnotherSenderOrInAnotherConversationIsANewMessage()
    {
        var ab = ConversationId.ForDirect("a", "b");
        var ac = ConversationId.ForDirect("a", "c");
        await Store.Conversations.AppendAsync(Message(ab, "a", clientMsgId: "c1"));

        var fromB = await Store.Conversations.AppendAsync(Message(ab, "b", clientMsgId: "c1"));
        var elsewhere = await Store.Conversations.AppendAsync(Message(ac, "a", clientMsgId: "c1"));

        Assert.True(fromB.Created);
        Assert.Equal(2, fromB.Message.Seq);
        Assert.True(elsewhere.Created);
        Assert.Equal(1, elsewhere.Message.Seq);
    }

    [Fact]
    public async Task MessagesWithoutAClientMsgIdAreNeverDeduplicated()
    {
        var conversation = ConversationId.ForDirect("a", "b");

        var first = await Store.Conversations.AppendAsync(Message(conversation, "a", "same"));
        var second = await Store.Conversations.AppendAsync(Message(conversation, "a", "same"));

        Assert.True(first.Created);
        Assert.True(second.Created);
        Assert.Equal(2, second.Message.Seq);
    }

    [Fact]
    public async Task ConcurrentAppendsToOneConversationGetDistinctContiguousSeqs()
    {
        const int count = 200;
        var conversation = ConversationId.ForGroup("g1");

        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(i =>
            Store.Conversations.AppendAsync(Message(conversation, "u" + (i % 7), "message " + i, "c" + i, at: i))));

        Assert.All(results, r => Assert.True(r.Created));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), results.Select(r => r.Message.Seq).Order());
        var stored = await Store.Conversations.GetAfterAsync(conversation, 0, count + 10);
        Assert.Equal(
            results.Select(r => r.Message).OrderBy(m => m.Seq),
            stored);
    }

    [Fact]
    public async Task ConcurrentRetriesOfOneClientMsgIdStoreOneMessage()
    {
        var conversation = ConversationId.ForDirect("a", "b");

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            Store.Conversations.AppendAsync(Message(conversation, "a", "tap", "same-click"))));

        var created = Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(created.Message, r.Message));
        Assert.Single(await Store.Conversations.GetAfterAsync(conversation, 0, 100));
    }

    [Fact]
    public async Task AFailingWriteDoesNotFailTheWritesQueuedWithIt()
    {
        var conversation = ConversationId.ForGroup("g1");
        var taken = await AppendAsync(conversation, "a", "first");
        var pending = new FriendRequest(Ids.New(), "a", "b", "", FriendRequestStatus.Pending, At(0));
        await Store.Friends.AddRequestAsync(pending);

        var tasks = new List<Task>();
        var failing = new HashSet<Task>();
        for (var i = 0; i < 60; i++)
        {
            Task task = (i % 3) switch
            {
                // The same message id again: refused by the store.
                0 when i % 2 == 0 => Store.Conversations.AppendAsync(Message(conversation, "b") with { Id = taken.Id }),
                // A second pending request between the same two users: refused too.
                0 => Store.Friends.AddRequestAsync(pending with { Id = Ids.New() }),
                _ => Store.Conversations.AppendAsync(Message(conversation, "b", "ok " + i)),
            };
            tasks.Add(task);
            if (i % 3 == 0)
                failing.Add(task);
        }
        var outcomes = await OutcomesAsync(tasks);

        for (var i = 0; i < tasks.Count; i++)
        {
            if (failing.Contains(tasks[i]))
                Assert.IsType<InvalidOperationException>(outcomes[i]);
            else
                Assert.Null(outcomes[i]);
        }
        // The refused writes left nothing behind: no message, no gap in the numbering.
        var stored = await Store.Conversations.GetAfterAsync(conversation, 0, 100);
        Assert.Equal(Enumerable.Range(1, 41).Select(i => (long)i), stored.Select(m => m.Seq));
        Assert.Equal(taken, stored[0]);
        Assert.Single(await Store.Friends.ListPendingRequestsAsync("a"));
    }

    [Fact]
    public async Task GetBeforePagesBackwardsReturningEachPageOldestFirst()
    {
        var conversation = ConversationId.ForDirect("a", "b");
        for (var i = 1; i <= 10; i++)
            await AppendAsync(conversation, "a", "m" + i, at: i);

        Assert.Equal(new long[] { 8, 9, 10 }, Seqs(await Store.Conversations.GetBeforeAsync(conversation, 11, 3)));
        Assert.Equal(new long[] { 8, 9, 10 }, Seqs(await Store.Conversations.GetBeforeAsync(conversation, long.MaxValue, 3)));
        Assert.Equal(new long[] { 5, 6, 7 }, Seqs(await Store.Conversations.GetBeforeAsync(conversation, 8, 3)));
        Assert.Equal(new long[] { 1 }, Seqs(await Store.Conversations.GetBeforeAsync(conversation, 2, 3)));
        Assert.Empty(await Store.Conversations.GetBeforeAsync(conversation, 1, 3));
        Assert.Empty(await Store.Conversations.GetBeforeAsync(conversation, 0, 3));
        Assert.Empty(await Store.Conversations.GetBeforeAsync(conversation, 11, 0));
        Assert.Empty(await Store.Conversations.GetBeforeAsync("d-x-y", 11, 3));
        Assert.Equal(
            Enumerable.Range(1, 10).Select(i => "m" + i),
            (await Store.Conversations.GetBeforeAsync(conversation, 11, 100)).Select(m => m.Body));
    }

    [Fact]
    public async Task GetAfterPagesForwardsOldestFirst()
    {
        var conversation = ConversationId.ForDirect("a", "b");
        for (var i = 1; i <= 10; i++)
            await AppendAsync(conversation, "a", at: i);

        Assert.Equal(new long[] { 1, 2, 3 }, Seqs(await Store.Conversations.GetAfterAsync(conversation, 0, 3)));
        Assert.Equal(new long[] { 4, 5, 6 }, Seqs(await Store.Conversations.GetAfterAsync(conversation, 3, 3)));
        Assert.Equal(new long[] { 10 }, Seqs(await Store.Conversations.GetAfterAsync(conversation, 9, 3)));
        Assert.Empty(await Store.Conversations.GetAfterAsync(conversation, 10, 3));
        Assert.Empty(await Store.Conversations.GetAfterAsync(conversation, 0, 0));
        Assert.Empty(await Store.Conversations.GetAfterAsync("d-x-y", 0, 3));
        Assert.Equal(10, (await Store.Conversations.GetAfterAsync(conversation, -5, 100)).Count);
    }

    [Fact]
    public async Task RecallingAMessageEmptiesItsBodyAndMarksIt()
    {
        var conversation = ConversationId.ForDirect("a", "b");
        var first = await AppendAsync(conversation, "a", "oops");
        var second = await AppendAsync(conversation, "a", "fine");

        Assert.True(await Store.Conversations.RecallAsync(conversation, 1));

        Assert.Equal(first with { Body = "", Recalled = true }, await Store.Conversations.GetByIdAsync(first.Id));
        Assert.Equal(second, await Store.Conversations.GetByIdAsync(second.Id));
        Assert.False(await Store.Conversations.RecallAsync(conversation, 3));
        Assert.False(await Store.Conversations.RecallAsync("d-x-y", 1));
    }

    [Fact]
    public async Task AppendRecordsTheGivenMembersWithReadMarkZero()
    {
        var conversation = ConversationId.ForDirect("a", "b");

        await Store.Conversations.AppendAsync(Message(conversation, "a", members: ["a", "b"]));
        await Store.Conversations.AppendAsync(Message(conversation, "b", members: ["a", "b", "c"]));

        Assert.True(await Store.Conversations.IsMemberAsync(conversation, "a"));
        Assert.True(await Store.Conversations.IsMemberAsync(conversation, "b"));
        Assert.True(await Store.Conversations.IsMemberAsync(conversation, "c"));
        Assert.False(await Store.Conversations.IsMemberAsync(conversation, "d"));
        Assert.False(await Store.Conversations.IsMemberAsync("d-x-y", "a"));
        Assert.Equal(0, await Store.Conversations.GetReadMarkAsync(conversation, "b"));
        Assert.Equal(0, await Store.Conversations.GetReadMarkAsync(conversation, "c"));
        Assert.Equal(0, await Store.Conversations.GetReadMarkAsync(conversation, "d"));
    }

    [Fact]
    public async Task ReadMarksOnlyMoveForwardAndNeverPastTheLastSeq()
    {
        var conversation = ConversationId.ForDirect("a", "b");
        for (var i = 0; i < 5; i++)
            await SendDirectAsync("a", "b");

        Assert.Equal(3, await Store.Conversations.SetReadMarkAsync(conversation, "b", 3));
        Assert.Equal(3, await Store.Conversations.SetReadMarkAsync(conversation, "b", 2));
        Assert.Equal(3, await Store.Conversations.GetReadMarkAsync(conversation, "b"));
        Assert.Equal(5, await Store.Conversations.SetReadMarkAsync(conversation, "b", 99));
        Assert.Equal(5, await Store.Conversations.GetReadMarkAsync(conversation, "b"));

        await SendDirectAsync("a", "b");
        Assert.Equal(6, await Store.Conversations.SetReadMarkAsync(conversation, "b", long.MaxValue));
    }

    [Fact]
    public async Task SettingAReadMarkMakesAMissingMemberOne()
    {
        var conversation = ConversationId.ForDirect("a", "b");
        await AppendAsync(conversation, "a");
        await AppendAsync(conversation, "a");

        Assert.Equal(1, await Store.Conversations.SetReadMarkAsync(conversation, "b", 1));

        Assert.True(await Store.Conversations.IsMemberAsync(conversation, "b"));
        Assert.Equal(1, Assert.Single(await Store.Conversations.ListConversationsAsync("b")).Unread);
        Assert.Equal(0, await Store.Conversations.SetReadMarkAsync("d-x-y", "x", 5));
    }

    [Fact]
    public async Task UnreadCountsLeaveOutTheUsersOwnMessages()
    {
        var conversation = ConversationId.ForDirect("a", "b");
        await SendDirectAsync("a", "b");
        await SendDirectAsync("b", "a");
        await SendDirectAsync("a", "b");
        await SendDirectAsync("a", "b");

        var forB = Assert.Single(await Store.Conversations.ListConversationsAsync("b"));
        var forA = Assert.Single(await Store.Conversations.ListConversationsAsync("a"));
        Assert.Equal(3, forB.Unread);
        Assert.Equal(1, forA.Unread);

        await Store.Conversations.SetReadMarkAsync(conversation, "b", 2);
        Assert.Equal(2, Assert.Single(await Store.Conversations.ListConversationsAsync("b")).Unread);
        await Store.Conversations.SetReadMarkAsync(conversation, "a", 2);
        Assert.Equal(0, Assert.Single(await Store.Conversations.ListConversationsAsync("a")).Unread);
    }

    [Fact]
    public async Task ConversationsAreListedMostRecentActivityFirstWithTheirSummaries()
    {
        var ab = ConversationId.ForDirect("a", "b");
        var ac = ConversationId.ForDirect("a", "c");
        var ad = ConversationId.ForDirect("a", "d");
        await SendDirectAsync("a", "b", "to b", at: 1);
        await SendDirectAsync("c", "a", "from c", at: 2);
        var last = await SendDirectAsync("b", "a", "from b", at: 3);
        var fromD = await SendDirectAsync("d", "a", "from d", at: 0);
        await Store.Conversations.SetReadMarkAsync(ab, "a", 1);

        var list = await Store.Conversations.ListConversationsAsync("a");

        Assert.Equal([ab, ac, ad], list.Select(s => s.Conversation));
        Assert.Equal(new ConversationSummary(ab, 2, 1, 1, last), list[0]);
        Assert.Equal(1, list[1].LastSeq);
        Assert.Equal(0, list[1].ReadSeq);
        Assert.Equal(1, list[1].Unread);
        Assert.Equal("from c", list[1].LastMessage!.Body);
        Assert.Equal(new ConversationSummary(ad, 1, 0, 1, fromD), list[2]);
        Assert.Equal([ab], (await Store.Conversations.ListConversationsAsync("b")).Select(s => s.Conversation));
        Assert.Empty(await Store.Conversations.ListConversationsAsync("nobody"));
    }

    [Fact]
    public async Task AConversationWithoutMessagesIsListedWithAnEmptySummary()
    {
        await Store.Groups.CreateGroupAsync(new Group("g1", "Empty", "a", At(0)));

        var summary = Assert.Single(await Store.Conversations.ListConversationsAsync("a"));

        Assert.Equal(new ConversationSummary(ConversationId.ForGroup("g1"), 0, 0, 0, null), summary);
    }

    [Fact]
    public async Task AFileIsVisibleOnlyToMembersOfAConversationThatCarriesIt()
    {
        var ab = ConversationId.ForDirect("a", "b");
        await Store.Conversations.AppendAsync(Message(ab, "a", "photo", kind: MessageKind.File, fileId: "f1", members: ["a", "b"]));
        await Store.Conversations.AppendAsync(Message(ConversationId.ForDirect("c", "d"), "c", members: ["c", "d"]));

        Assert.True(await Store.Conversations.IsFileVisibleToAsync("f1", "a"));
        Assert.True(await Store.Conversations.IsFileVisibleToAsync("f1", "b"));
        Assert.False(await Store.Conversations.IsFileVisibleToAsync("f1", "c"));
        Assert.False(await Store.Conversations.IsFileVisibleToAsync("f2", "a"));

        await Store.Conversations.AppendAsync(Message(ConversationId.ForDirect("c", "d"), "c", kind: MessageKind.File, fileId: "f1", members: ["c", "d"]));
        Assert.True(await Store.Conversations.IsFileVisibleToAsync("f1", "d"));
    }

    [Fact]
    public async Task RecallingAFileMessageStopsSharingTheFile()
    {
        var ab = ConversationId.ForDirect("a", "b");
        var sent = await Store.Conversations.AppendAsync(Message(ab, "a", "photo", kind: MessageKind.File, fileId: "f1", members: ["a", "b"]));

        Assert.True(await Store.Conversations.RecallAsync(ab, sent.Message.Seq));

        Assert.False(await Store.Conversations.IsFileVisibleToAsync("f1", "b"));
        Assert.Null((await Store.Conversations.GetByIdAsync(sent.Message.Id))!.FileId);
    }

    [Fact]
    public async Task ChineseAndEmojiTextSurvivesTheRoundTrip()
    {
        const string text = "你好，世界！🎉👨‍👩‍👧 𠮷野家 — ¿qué? end";
        var user = await NewUserAsync("xiaoming", "小明 😀");
        var conversation = ConversationId.ForDirect(user.Id, "b");

        var sent = await Store.Conversations.AppendAsync(Message(conversation, user.Id, text, clientMsgId: "消息-1"));
        await Store.Groups.CreateGroupAsync(new Group("g1", "家庭群 🏠", user.Id, At(0)));
        await Store.Friends.AddCategoryAsync(new Category("c1", user.Id, "大学同学 🎓", 0));

        Assert.Equal(text, (await Store.Conversations.GetByIdAsync(sent.Message.Id))!.Body);
        Assert.Equal("消息-1", (await Store.Conversations.GetAfterAsync(conversation, 0, 1))[0].ClientMsgId);
        Assert.Equal("小明 😀", (await Store.Users.GetUserAsync(user.Id))!.DisplayName);
        Assert.Equal([user], await Store.Users.SearchUsersAsync("小明", 5));
        Assert.Equal("家庭群 🏠", (await Store.Groups.GetGroupAsync("g1"))!.Name);
        Assert.Equal("大学同学 🎓", Assert.Single(await Store.Friends.ListCategoriesAsync(user.Id)).Name);
    }

    private static long[] Seqs(IReadOnlyList<ChatMessage> messages) => [.. messages.Select(m => m.Seq)];
}
