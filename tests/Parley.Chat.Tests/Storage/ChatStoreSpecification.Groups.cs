using Parley.Chat.Conversations;
using Parley.Chat.Groups;
using Parley.Chat.Storage;

namespace Parley.Chat.Tests.Storage;

public abstract partial class ChatStoreSpecification
{
    private async Task<Group> NewGroupAsync(string owner = "owner", int at = 0, string name = "Team")
    {
        var group = new Group(Ids.New(), name, owner, At(at));
        await Store.Groups.CreateGroupAsync(group);
        return group;
    }

    private static GroupMember Member(Group group, string userId, int joinedAt = 1, GroupRole role = GroupRole.Member) =>
        new(group.Id, userId, role, At(joinedAt));

    [Fact]
    public async Task CreatingAGroupMakesItsOwnerTheFirstMember()
    {
        var group = await NewGroupAsync("owner", at: 5);

        Assert.Equal(group, await Store.Groups.GetGroupAsync(group.Id));
        var owner = new GroupMember(group.Id, "owner", GroupRole.Owner, At(5));
        Assert.Equal(owner, await Store.Groups.GetMemberAsync(group.Id, "owner"));
        Assert.Equal([owner], await Store.Groups.ListMembersAsync(group.Id));
        Assert.Equal([group], await Store.Groups.ListGroupsOfUserAsync("owner"));
        Assert.True(await Store.Conversations.IsMemberAsync(ConversationId.ForGroup(group.Id), "owner"));
    }

    [Fact]
    public async Task TransferringOwnershipMovesTheOwnerIdAndDemotesThePreviousOwner()
    {
        var group = await NewGroupAsync("owner");
        await Store.Groups.AddMemberAsync(Member(group, "heir"), cap: 10);

        Assert.True(await Store.Groups.TransferOwnershipAsync(group.Id, "owner", "heir"));

        Assert.Equal("heir", (await Store.Groups.GetGroupAsync(group.Id))!.OwnerId);
        Assert.Equal(GroupRole.Owner, (await Store.Groups.GetMemberAsync(group.Id, "heir"))!.Role);
        Assert.Equal(GroupRole.Admin, (await Store.Groups.GetMemberAsync(group.Id, "owner"))!.Role);
        Assert.False(await Store.Groups.TransferOwnershipAsync(group.Id, "heir", "stranger"));
        Assert.Equal("heir", (await Store.Groups.GetGroupAsync(group.Id))!.OwnerId);
    }

    [Fact]
    public async Task AddingAMemberReportsAddedThenAlreadyMemberAndFullAtTheCap()
    {
        var group = await NewGroupAsync();

        Assert.Equal(AddMemberResult.Added, await Store.Groups.AddMemberAsync(Member(group, "a"), cap: 3));
        Assert.Equal(AddMemberResult.AlreadyMember, await Store.Groups.AddMemberAsync(Member(group, "a", 2), cap: 3));
        Assert.Equal(AddMemberResult.Added, await Store.Groups.AddMemberAsync(Member(group, "b"), cap: 3));
        Assert.Equal(AddMemberResult.Full, await Store.Groups.AddMemberAsync(Member(group, "c"), cap: 3));
        Assert.Equal(AddMemberResult.AlreadyMember, await Store.Groups.AddMemberAsync(Member(group, "b"), cap: 3));

        Assert.Equal(3, (await Store.Groups.ListMembersAsync(group.Id)).Count);
        Assert.Null(await Store.Groups.GetMemberAsync(group.Id, "c"));
        Assert.False(await Store.Conversations.IsMemberAsync(ConversationId.ForGroup(group.Id), "c"));
        Assert.Equal(At(1), (await Store.Groups.GetMemberAsync(group.Id, "a"))!.JoinedAt);
    }

    [Fact]
    public async Task ConcurrentAddsNeverGoPastTheCap()
    {
        var group = await NewGroupAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            Store.Groups.AddMemberAsync(Member(group, "u" + i), cap: 10)));

        Assert.Equal(9, results.Count(r => r == AddMemberResult.Added));
        Assert.Equal(21, results.Count(r => r == AddMemberResult.Full));
        Assert.Equal(10, (await Store.Groups.ListMembersAsync(group.Id)).Count);
    }

    [Fact]
    public async Task MembersAreListedOwnerFirstThenByJoinTime()
    {
        var group = await NewGroupAsync("owner", at: 10);
        await Store.Groups.AddMemberAsync(Member(group, "late", joinedAt: 30), cap: 100);
        await Store.Groups.AddMemberAsync(Member(group, "early", joinedAt: 5, GroupRole.Admin), cap: 100);
        await Store.Groups.AddMemberAsync(Member(group, "middle", joinedAt: 20), cap: 100);

        var members = await Store.Groups.ListMembersAsync(group.Id);

        Assert.Equal(["owner", "early", "middle", "late"], members.Select(m => m.UserId));
        Assert.Equal(GroupRole.Admin, members[1].Role);
        Assert.Empty(await Store.Groups.ListMembersAsync("unknown"));
    }

    [Fact]
    public async Task ANewcomerStartsWithTheReadMarkAtTheLastMessage()
    {
        var group = await NewGroupAsync();
        var conversation = ConversationId.ForGroup(group.Id);
        for (var i = 0; i < 3; i++)
            await AppendAsync(conversation, "owner");

        await Store.Groups.AddMemberAsync(Member(group, "newcomer"), cap: 100);

        Assert.True(await Store.Conversations.IsMemberAsync(conversation, "newcomer"));
        Assert.Equal(3, await Store.Conversations.GetReadMarkAsync(conversation, "newcomer"));
        Assert.Equal(0, Assert.Single(await Store.Conversations.ListConversationsAsync("newcomer")).Unread);

        await AppendAsync(conversation, "owner");
        Assert.Equal(1, Assert.Single(await Store.Conversations.ListConversationsAsync("newcomer")).Unread);
        Assert.Equal(0, Assert.Single(await Store.Conversations.ListConversationsAsync("owner")).Unread);
    }

    [Fact]
    public async Task RemovingAMemberEndsTheirConversationMembershipToo()
    {
        var group = await NewGroupAsync();
        await Store.Groups.AddMemberAsync(Member(group, "a"), cap: 100);

        Assert.True(await Store.Groups.RemoveMemberAsync(group.Id, "a"));

        Assert.Null(await Store.Groups.GetMemberAsync(group.Id, "a"));
        Assert.False(await Store.Conversations.IsMemberAsync(ConversationId.ForGroup(group.Id), "a"));
        Assert.Empty(await Store.Groups.ListGroupsOfUserAsync("a"));
        Assert.Empty(await Store.Conversations.ListConversationsAsync("a"));
        Assert.False(await Store.Groups.RemoveMemberAsync(group.Id, "a"));
        Assert.Equal(AddMemberResult.Added, await Store.Groups.AddMemberAsync(Member(group, "a"), cap: 100));
    }

    [Fact]
    public async Task ARoleCanBeChangedOnlyForAMember()
    {
        var group = await NewGroupAsync();
        await Store.Groups.AddMemberAsync(Member(group, "a"), cap: 100);

        Assert.True(await Store.Groups.SetRoleAsync(group.Id, "a", GroupRole.Admin));
        Assert.False(await Store.Groups.SetRoleAsync(group.Id, "stranger", GroupRole.Admin));

        Assert.Equal(GroupRole.Admin, (await Store.Groups.GetMemberAsync(group.Id, "a"))!.Role);
        Assert.Null(await Store.Groups.GetMemberAsync(group.Id, "stranger"));
    }

    [Fact]
    public async Task AGroupCanBeRenamed()
    {
        var group = await NewGroupAsync();

        Assert.True(await Store.Groups.RenameGroupAsync(group.Id, "新名字"));
        Assert.False(await Store.Groups.RenameGroupAsync("unknown", "x"));

        Assert.Equal(group with { Name = "新名字" }, await Store.Groups.GetGroupAsync(group.Id));
        Assert.Null(await Store.Groups.GetGroupAsync("unknown"));
    }

    [Fact]
    public async Task TheGroupsOfAUserAreThoseTheyBelongTo()
    {
        var first = await NewGroupAsync("a", at: 1, name: "First");
        var second = await NewGroupAsync("b", at: 2, name: "Second");
        await NewGroupAsync("c", at: 3, name: "Third");
        await Store.Groups.AddMemberAsync(Member(second, "a", joinedAt: 4), cap: 100);

        var groups = await Store.Groups.ListGroupsOfUserAsync("a");

        Assert.Equal([first, second], groups.OrderBy(g => g.Name, StringComparer.Ordinal));
        Assert.Empty(await Store.Groups.ListGroupsOfUserAsync("nobody"));
    }

    [Fact]
    public async Task AnInvitationIsPendingUntilWithdrawnOrDeclined()
    {
        var group = await NewGroupAsync();
        var other = await NewGroupAsync("owner2");
        var invitation = new GroupInvitation(group.Id, "a", "owner", At(2));
        var older = new GroupInvitation(other.Id, "a", "owner2", At(1));

        Assert.True(await Store.Groups.AddInvitationAsync(invitation));
        Assert.True(await Store.Groups.AddInvitationAsync(older));
        Assert.False(await Store.Groups.AddInvitationAsync(invitation with { InvitedBy = "someone", CreatedAt = At(3) }));

        Assert.Equal(invitation, await Store.Groups.GetInvitationAsync(group.Id, "a"));
        Assert.Equal([older, invitation], await Store.Groups.ListInvitationsAsync("a"));
        Assert.Empty(await Store.Groups.ListInvitationsAsync("b"));

        Assert.True(await Store.Groups.RemoveInvitationAsync(group.Id, "a"));
        Assert.False(await Store.Groups.RemoveInvitationAsync(group.Id, "a"));
        Assert.Null(await Store.Groups.GetInvitationAsync(group.Id, "a"));
        Assert.Equal([older], await Store.Groups.ListInvitationsAsync("a"));
    }

    [Fact]
    public async Task JoiningAGroupRemovesTheInvitationToIt()
    {
        var group = await NewGroupAsync();
        await Store.Groups.AddInvitationAsync(new GroupInvitation(group.Id, "a", "owner", At(1)));

        Assert.Equal(AddMemberResult.Added, await Store.Groups.AddMemberAsync(Member(group, "a"), cap: 100));

        Assert.Null(await Store.Groups.GetInvitationAsync(group.Id, "a"));
        Assert.Empty(await Store.Groups.ListInvitationsAsync("a"));
    }
}
