using Parley.Chat.Friends;

namespace Parley.Chat.Tests.Storage;

public abstract partial class ChatStoreSpecification
{
    private static FriendRequest Request(string from, string to, int at = 0, string note = "hi") =>
        new(Ids.New(), from, to, note, FriendRequestStatus.Pending, At(at));

    [Fact]
    public async Task APendingRequestIsFoundByIdAndByItsDirection()
    {
        var request = Request("a", "b", note: "我是小明 👋");

        await Store.Friends.AddRequestAsync(request);

        Assert.Equal(request, await Store.Friends.GetRequestAsync(request.Id));
        Assert.Equal(request, await Store.Friends.FindPendingRequestAsync("a", "b"));
        Assert.Null(await Store.Friends.FindPendingRequestAsync("b", "a"));
        Assert.Null(await Store.Friends.GetRequestAsync("unknown"));
    }

    [Fact]
    public async Task ASecondPendingRequestInTheSameDirectionIsRefused()
    {
        var first = Request("a", "b");
        await Store.Friends.AddRequestAsync(first);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.Friends.AddRequestAsync(Request("a", "b", at: 1)));

        Assert.Equal(first, await Store.Friends.FindPendingRequestAsync("a", "b"));
        Assert.Single(await Store.Friends.ListPendingRequestsAsync("a"));
    }

    [Fact]
    public async Task ARequestMayBeSentAgainOnceTheEarlierOneIsClosed()
    {
        var first = Request("a", "b");
        await Store.Friends.AddRequestAsync(first);
        Assert.True(await Store.Friends.CloseRequestAsync(first.Id, FriendRequestStatus.Declined));

        var second = Request("a", "b", at: 1);
        await Store.Friends.AddRequestAsync(second);
        var reverse = Request("b", "a", at: 2);
        await Store.Friends.AddRequestAsync(reverse);

        Assert.Equal(second, await Store.Friends.FindPendingRequestAsync("a", "b"));
        Assert.Equal(reverse, await Store.Friends.FindPendingRequestAsync("b", "a"));
        Assert.Equal(FriendRequestStatus.Declined, (await Store.Friends.GetRequestAsync(first.Id))!.Status);
    }

    [Fact]
    public async Task PendingRequestsListThoseSentAndReceivedOldestFirst()
    {
        var received = Request("b", "a", at: 1);
        var sent = Request("a", "c", at: 2);
        var closed = Request("d", "a", at: 3);
        var unrelated = Request("b", "c", at: 4);
        var older = Request("e", "a", at: 0);
        foreach (var request in new[] { received, sent, closed, unrelated, older })
            await Store.Friends.AddRequestAsync(request);
        await Store.Friends.CloseRequestAsync(closed.Id, FriendRequestStatus.Cancelled);

        Assert.Equal([older, received, sent], await Store.Friends.ListPendingRequestsAsync("a"));
        Assert.Empty(await Store.Friends.ListPendingRequestsAsync("nobody"));
    }

    [Fact]
    public async Task ClosingARequestWorksOnlyWhilePending()
    {
        var declined = Request("a", "b");
        var cancelled = Request("a", "c");
        await Store.Friends.AddRequestAsync(declined);
        await Store.Friends.AddRequestAsync(cancelled);

        Assert.True(await Store.Friends.CloseRequestAsync(declined.Id, FriendRequestStatus.Declined));
        Assert.True(await Store.Friends.CloseRequestAsync(cancelled.Id, FriendRequestStatus.Cancelled));
        Assert.False(await Store.Friends.CloseRequestAsync(declined.Id, FriendRequestStatus.Cancelled));
        Assert.False(await Store.Friends.CloseRequestAsync("unknown", FriendRequestStatus.Declined));

        Assert.Equal(declined with { Status = FriendRequestStatus.Declined }, await Store.Friends.GetRequestAsync(declined.Id));
        Assert.Equal(cancelled with { Status = FriendRequestStatus.Cancelled }, await Store.Friends.GetRequestAsync(cancelled.Id));
        Assert.Null(await Store.Friends.FindPendingRequestAsync("a", "b"));
        Assert.False(await Store.Friends.AcceptRequestAsync(declined.Id, At(5)));
        Assert.False(await Store.Friends.AreFriendsAsync("a", "b"));
    }

    [Fact]
    public async Task AcceptingARequestMakesTheTwoFriendsBothWays()
    {
        var request = Request("a", "b");
        await Store.Friends.AddRequestAsync(request);

        Assert.True(await Store.Friends.AcceptRequestAsync(request.Id, At(10)));

        Assert.Equal(FriendRequestStatus.Accepted, (await Store.Friends.GetRequestAsync(request.Id))!.Status);
        Assert.Null(await Store.Friends.FindPendingRequestAsync("a", "b"));
        Assert.Empty(await Store.Friends.ListPendingRequestsAsync("b"));
        Assert.True(await Store.Friends.AreFriendsAsync("a", "b"));
        Assert.True(await Store.Friends.AreFriendsAsync("b", "a"));
        Assert.Equal([new Friend("b", null, At(10))], await Store.Friends.ListFriendsAsync("a"));
        Assert.Equal([new Friend("a", null, At(10))], await Store.Friends.ListFriendsAsync("b"));
    }

    [Fact]
    public async Task ARequestCanBeAcceptedOnlyOnce()
    {
        var request = Request("a", "b");
        await Store.Friends.AddRequestAsync(request);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Store.Friends.AcceptRequestAsync(request.Id, At(i))));

        Assert.Single(outcomes, accepted => accepted);
        Assert.False(await Store.Friends.AcceptRequestAsync("unknown", At(0)));
        Assert.False(await Store.Friends.CloseRequestAsync(request.Id, FriendRequestStatus.Declined));
        Assert.Single(await Store.Friends.ListFriendsAsync("a"));
    }

    [Fact]
    public async Task RemovingAFriendshipEndsItBothWays()
    {
        var request = Request("a", "b");
        await Store.Friends.AddRequestAsync(request);
        await Store.Friends.AcceptRequestAsync(request.Id, At(1));

        Assert.True(await Store.Friends.RemoveFriendshipAsync("b", "a"));

        Assert.False(await Store.Friends.AreFriendsAsync("a", "b"));
        Assert.False(await Store.Friends.AreFriendsAsync("b", "a"));
        Assert.Empty(await Store.Friends.ListFriendsAsync("a"));
        Assert.Empty(await Store.Friends.ListFriendsAsync("b"));
        Assert.False(await Store.Friends.RemoveFriendshipAsync("a", "b"));
    }

    [Fact]
    public async Task CategoriesAreListedByPosition()
    {
        var family = new Category(Ids.New(), "a", "家人", 2);
        var work = new Category(Ids.New(), "a", "Work", 1);
        var others = new Category(Ids.New(), "b", "Others", 0);
        await Store.Friends.AddCategoryAsync(family);
        await Store.Friends.AddCategoryAsync(work);
        await Store.Friends.AddCategoryAsync(others);

        Assert.Equal([work, family], await Store.Friends.ListCategoriesAsync("a"));
        Assert.Equal([others], await Store.Friends.ListCategoriesAsync("b"));
        Assert.Empty(await Store.Friends.ListCategoriesAsync("c"));
    }

    [Fact]
    public async Task OnlyTheOwnerCanRenameOrDeleteACategory()
    {
        var work = new Category(Ids.New(), "a", "Work", 0);
        await Store.Friends.AddCategoryAsync(work);

        Assert.False(await Store.Friends.RenameCategoryAsync("b", work.Id, "Hacked"));
        Assert.False(await Store.Friends.DeleteCategoryAsync("b", work.Id));
        Assert.False(await Store.Friends.RenameCategoryAsync("a", "unknown", "x"));
        Assert.False(await Store.Friends.DeleteCategoryAsync("a", "unknown"));
        Assert.Equal([work], await Store.Friends.ListCategoriesAsync("a"));

        Assert.True(await Store.Friends.RenameCategoryAsync("a", work.Id, "同事"));
        Assert.Equal([work with { Name = "同事" }], await Store.Friends.ListCategoriesAsync("a"));
        Assert.True(await Store.Friends.DeleteCategoryAsync("a", work.Id));
        Assert.Empty(await Store.Friends.ListCategoriesAsync("a"));
    }

    [Fact]
    public async Task DeletingACategoryMovesItsFriendsToNoCategory()
    {
        await BefriendAsync("a", "b");
        await BefriendAsync("a", "c");
        var work = new Category(Ids.New(), "a", "Work", 0);
        await Store.Friends.AddCategoryAsync(work);
        var bCategory = new Category(Ids.New(), "b", "Mine", 0);
        await Store.Friends.AddCategoryAsync(bCategory);
        Assert.True(await Store.Friends.SetFriendCategoryAsync("a", "b", work.Id));
        Assert.True(await Store.Friends.SetFriendCategoryAsync("a", "c", work.Id));
        Assert.True(await Store.Friends.SetFriendCategoryAsync("b", "a", bCategory.Id));

        Assert.True(await Store.Friends.DeleteCategoryAsync("a", work.Id));

        Assert.All(await Store.Friends.ListFriendsAsync("a"), f => Assert.Null(f.CategoryId));
        Assert.Equal(2, (await Store.Friends.ListFriendsAsync("a")).Count);
        Assert.Equal(bCategory.Id, Assert.Single(await Store.Friends.ListFriendsAsync("b")).CategoryId);
    }

    [Fact]
    public async Task AFriendCanBeFiledOnlyUnderACategoryOfTheOwner()
    {
        await BefriendAsync("a", "b");
        var mine = new Category(Ids.New(), "a", "Mine", 0);
        var theirs = new Category(Ids.New(), "b", "Theirs", 0);
        await Store.Friends.AddCategoryAsync(mine);
        await Store.Friends.AddCategoryAsync(theirs);

        Assert.False(await Store.Friends.SetFriendCategoryAsync("a", "b", theirs.Id));
        Assert.False(await Store.Friends.SetFriendCategoryAsync("a", "b", "unknown"));
        Assert.False(await Store.Friends.SetFriendCategoryAsync("a", "stranger", mine.Id));
        Assert.False(await Store.Friends.SetFriendCategoryAsync("a", "stranger", null));
        Assert.Null(Assert.Single(await Store.Friends.ListFriendsAsync("a")).CategoryId);

        Assert.True(await Store.Friends.SetFriendCategoryAsync("a", "b", mine.Id));
        Assert.Equal(mine.Id, Assert.Single(await Store.Friends.ListFriendsAsync("a")).CategoryId);
        Assert.Null(Assert.Single(await Store.Friends.ListFriendsAsync("b")).CategoryId);

        Assert.True(await Store.Friends.SetFriendCategoryAsync("a", "b", null));
        Assert.Null(Assert.Single(await Store.Friends.ListFriendsAsync("a")).CategoryId);
    }

    [Fact]
    public async Task BlockingIsOneWayAndIdempotent()
    {
        await Store.Friends.BlockAsync("a", "b", At(1));
        await Store.Friends.BlockAsync("a", "b", At(2));
        await Store.Friends.BlockAsync("a", "c", At(3));

        Assert.True(await Store.Friends.IsBlockedAsync("a", "b"));
        Assert.False(await Store.Friends.IsBlockedAsync("b", "a"));
        Assert.Equal(["b", "c"], (await Store.Friends.ListBlockedAsync("a")).Order(StringComparer.Ordinal));
        Assert.Empty(await Store.Friends.ListBlockedAsync("b"));
    }

    [Fact]
    public async Task UnblockingReportsWhetherThereWasABlock()
    {
        await Store.Friends.BlockAsync("a", "b", At(1));

        Assert.True(await Store.Friends.UnblockAsync("a", "b"));
        Assert.False(await Store.Friends.UnblockAsync("a", "b"));
        Assert.False(await Store.Friends.IsBlockedAsync("a", "b"));
        Assert.Empty(await Store.Friends.ListBlockedAsync("a"));
    }

    private async Task BefriendAsync(string a, string b)
    {
        var request = Request(a, b);
        await Store.Friends.AddRequestAsync(request);
        Assert.True(await Store.Friends.AcceptRequestAsync(request.Id, At(0)));
    }
}
