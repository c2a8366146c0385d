using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Friends;

public sealed class CategoryTests
{
    [Fact]
    public async Task CategoriesAreCreatedInOrderWithCleanNames()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        var family = await chat.Friends.CreateCategoryAsync(alice.Id, " 家人 👪 ");
        var work = await chat.Friends.CreateCategoryAsync(alice.Id, "Work");

        Assert.Equal(("家人 👪", 0, alice.Id), (family.Name, family.Position, family.OwnerId));
        Assert.Equal(1, work.Position);
        Assert.Equal([family, work], await chat.Friends.CategoriesAsync(alice.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "display_name_invalid", () => chat.Friends.CreateCategoryAsync(alice.Id, "  "));
    }

    [Fact]
    public async Task ACategoryIsRenamedByItsOwnerOnly()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var mallory = await chat.UserAsync("mallory");
        var category = await chat.Friends.CreateCategoryAsync(alice.Id, "Work");

        await chat.Friends.RenameCategoryAsync(alice.Id, category.Id, "同事");
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "category_not_found", () => chat.Friends.RenameCategoryAsync(mallory.Id, category.Id, "Pwned"));

        Assert.Equal("同事", Assert.Single(await chat.Friends.CategoriesAsync(alice.Id)).Name);
    }

    [Fact]
    public async Task AFriendMovesBetweenCategoriesAndStaysWhenItsCategoryIsDeleted()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var work = await chat.Friends.CreateCategoryAsync(alice.Id, "Work");
        var family = await chat.Friends.CreateCategoryAsync(alice.Id, "Family");

        await chat.Friends.MoveAsync(alice.Id, bob.Id, work.Id);
        Assert.Equal(work.Id, Assert.Single(await chat.Friends.ListAsync(alice.Id)).Friend.CategoryId);
        await chat.Friends.MoveAsync(alice.Id, bob.Id, family.Id);
        Assert.Equal(family.Id, Assert.Single(await chat.Friends.ListAsync(alice.Id)).Friend.CategoryId);
        Assert.Null(Assert.Single(await chat.Friends.ListAsync(bob.Id)).Friend.CategoryId);

        await chat.Friends.DeleteCategoryAsync(alice.Id, family.Id);

        Assert.Equal([work], await chat.Friends.CategoriesAsync(alice.Id));
        var entry = Assert.Single(await chat.Friends.ListAsync(alice.Id));
        Assert.Equal((bob.Id, (string?)null), (entry.Friend.UserId, entry.Friend.CategoryId));
    }

    [Fact]
    public async Task AFriendCanBeMovedOutOfEveryCategory()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var work = await chat.Friends.CreateCategoryAsync(alice.Id, "Work");
        await chat.Friends.MoveAsync(alice.Id, bob.Id, work.Id);

        await chat.Friends.MoveAsync(alice.Id, bob.Id, "");

        Assert.Null(Assert.Single(await chat.Friends.ListAsync(alice.Id)).Friend.CategoryId);
    }

    [Fact]
    public async Task AnotherUsersCategoryCannotBeUsedOrDeleted()
    {
        await using var chat = await TestChat.StartAsync();
        var (alice, bob) = await chat.FriendsAsync();
        var bobs = await chat.Friends.CreateCategoryAsync(bob.Id, "Bob's");

        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "not_found", () => chat.Friends.MoveAsync(alice.Id, bob.Id, bobs.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "category_not_found", () => chat.Friends.DeleteCategoryAsync(alice.Id, bobs.Id));

        Assert.Equal([bobs], await chat.Friends.CategoriesAsync(bob.Id));
    }

    [Fact]
    public async Task OnlyFriendsCanBeFiled()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var stranger = await chat.UserAsync("stranger");
        var work = await chat.Friends.CreateCategoryAsync(alice.Id, "Work");

        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "not_found", () => chat.Friends.MoveAsync(alice.Id, stranger.Id, work.Id));
    }
}
