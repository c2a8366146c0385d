using Parley.Chat.Groups;
using Parley.Chat.Notifications;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Groups;

public sealed class GroupMembershipTests
{
    [Fact]
    public async Task CreatingAGroupMakesTheCreatorItsOwnerAndTellsThem()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");

        var group = await chat.Groups.CreateAsync(alice.Id, " 周末爬山 ⛰️ ");

        Assert.Equal(("周末爬山 ⛰️", alice.Id), (group.Name, group.OwnerId));
        var member = Assert.Single(await chat.Groups.MembersAsync(alice.Id, group.Id));
        Assert.Equal((alice.Id, GroupRole.Owner), (member.UserId, member.Role));
        Assert.Equal([new GroupEvent("group-added", group.Id, "周末爬山 ⛰️", alice.Id, alice.Id, "owner")], chat.Notifier.EventsOf(alice.Id));
        Assert.Equal([group], await chat.Groups.MineAsync(alice.Id));
        Assert.Equal(group, await chat.Groups.GetAsync(alice.Id, group.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "display_name_invalid", () => chat.Groups.CreateAsync(alice.Id, " "));
    }

    [Fact]
    public async Task AnAdminAddsAMemberWhoHearsOfItAsDoesTheGroup()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var carol = await chat.UserAsync("carol");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);
        await chat.Groups.SetRoleAsync(alice.Id, group.Id, bob.Id, GroupRole.Admin);
        chat.Notifier.Clear();

        await chat.Groups.AddMemberAsync(bob.Id, group.Id, "carol");

        Assert.Equal([new GroupEvent("group-added", group.Id, "Team", carol.Id, bob.Id, "member")], chat.Notifier.EventsOf(carol.Id));
        Assert.Equal([new GroupEvent("group-member-added", group.Id, "Team", carol.Id, bob.Id, "member")], chat.Notifier.ToGroup<GroupEvent>(group.Id));
        Assert.Equal([alice.Id, bob.Id, carol.Id], (await chat.Groups.MembersAsync(carol.Id, group.Id)).Select(m => m.UserId));
        Assert.True(await chat.Groups.IsMemberAsync(carol.Id, group.Id));
    }

    [Fact]
    public async Task APlainMemberCannotAddMembers()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var carol = await chat.UserAsync("carol");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "role_too_low", () => chat.Groups.AddMemberAsync(bob.Id, group.Id, carol.Id));

        Assert.False(await chat.Groups.IsMemberAsync(carol.Id, group.Id));
    }

    [Fact]
    public async Task AddingAMemberTwiceOrNobodyIsRefused()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);

        await ChatAssert.RefusedAsync(ChatErrorKind.Conflict, "already_member", () => chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "user_not_found", () => chat.Groups.AddMemberAsync(alice.Id, group.Id, "nobody"));
    }

    [Fact]
    public async Task AMemberInvitesAndTheInviteeAccepts()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var carol = await chat.UserAsync("carol");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);
        chat.Notifier.Clear();

        await chat.Groups.InviteAsync(bob.Id, group.Id, "carol");

        Assert.Equal([new GroupEvent("group-invited", group.Id, "Team", carol.Id, bob.Id, null)], chat.Notifier.EventsOf(carol.Id));
        var invitation = Assert.Single(await chat.Groups.InvitationsAsync(carol.Id));
        Assert.Equal((group.Id, carol.Id, bob.Id), (invitation.GroupId, invitation.UserId, invitation.InvitedBy));
        Assert.False(await chat.Groups.IsMemberAsync(carol.Id, group.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.Conflict, "invitation_pending", () => chat.Groups.InviteAsync(alice.Id, group.Id, carol.Id));

        await chat.Groups.AcceptInvitationAsync(carol.Id, group.Id);

        Assert.True(await chat.Groups.IsMemberAsync(carol.Id, group.Id));
        Assert.Empty(await chat.Groups.InvitationsAsync(carol.Id));
        Assert.Contains(new GroupEvent("group-added", group.Id, "Team", carol.Id, bob.Id, "member"), chat.Notifier.EventsOf(carol.Id));
        Assert.Equal(["group-member-added"], chat.Notifier.ToGroup<GroupEvent>(group.Id).Select(e => e.Type));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "invitation_not_found", () => chat.Groups.AcceptInvitationAsync(carol.Id, group.Id));
    }

    [Fact]
    public async Task TheInviteeDeclines()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var carol = await chat.UserAsync("carol");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.InviteAsync(alice.Id, group.Id, carol.Id);

        await chat.Groups.DeclineInvitationAsync(carol.Id, group.Id);

        Assert.Empty(await chat.Groups.InvitationsAsync(carol.Id));
        Assert.False(await chat.Groups.IsMemberAsync(carol.Id, group.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "invitation_not_found", () => chat.Groups.AcceptInvitationAsync(carol.Id, group.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "invitation_not_found", () => chat.Groups.DeclineInvitationAsync(carol.Id, group.Id));
    }

    [Fact]
    public async Task InvitingAMemberOrSomeoneWhoBlockedTheInviterIsRefused()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var carol = await chat.UserAsync("carol");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);
        await chat.Friends.BlockAsync(carol.Id, alice.Id);

        await ChatAssert.RefusedAsync(ChatErrorKind.Conflict, "already_member", () => chat.Groups.InviteAsync(alice.Id, group.Id, bob.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "blocked", () => chat.Groups.InviteAsync(alice.Id, group.Id, carol.Id));
        Assert.Empty(await chat.Groups.InvitationsAsync(carol.Id));
    }

    [Fact]
    public async Task TheMemberCapRefusesOneMore()
    {
        await using var chat = await TestChat.StartAsync(o => o.GroupMemberCap = 2);
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var carol = await chat.UserAsync("carol");
        var group = await chat.Groups.CreateAsync(alice.Id, "Pair");
        await chat.Groups.InviteAsync(alice.Id, group.Id, carol.Id);
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);
        chat.Notifier.Clear();

        await ChatAssert.RefusedAsync(ChatErrorKind.Conflict, "group_full", () => chat.Groups.AddMemberAsync(alice.Id, group.Id, carol.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.Conflict, "group_full", () => chat.Groups.AcceptInvitationAsync(carol.Id, group.Id));

        Assert.Equal(2, (await chat.Groups.MembersAsync(alice.Id, group.Id)).Count);
        Assert.Empty(chat.Notifier.All);
    }

    [Fact]
    public async Task AMemberLeavesAndStopsHearingTheGroup()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);
        chat.Notifier.Clear();

        await chat.Groups.LeaveAsync(bob.Id, group.Id);

        Assert.False(await chat.Groups.IsMemberAsync(bob.Id, group.Id));
        Assert.Equal([(group.Id, bob.Id)], chat.Notifier.Departures);
        Assert.Equal([new GroupEvent("group-removed", group.Id, "Team", bob.Id, bob.Id, null)], chat.Notifier.EventsOf(bob.Id));
        Assert.Equal([new GroupEvent("group-member-removed", group.Id, "Team", bob.Id, bob.Id, null)], chat.Notifier.ToGroup<GroupEvent>(group.Id));
        Assert.Empty(await chat.Groups.MineAsync(bob.Id));
    }

    [Fact]
    public async Task TheOwnerMustTransferOwnershipBeforeLeaving()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        await chat.Groups.AddMemberAsync(alice.Id, group.Id, bob.Id);

        await ChatAssert.RefusedAsync(ChatErrorKind.Conflict, "owner_must_transfer", () => chat.Groups.LeaveAsync(alice.Id, group.Id));
        await chat.Groups.SetRoleAsync(alice.Id, group.Id, bob.Id, GroupRole.Owner);
        await chat.Groups.LeaveAsync(alice.Id, group.Id);

        var member = Assert.Single(await chat.Groups.MembersAsync(bob.Id, group.Id));
        Assert.Equal((bob.Id, GroupRole.Owner), (member.UserId, member.Role));
    }

    [Fact]
    public async Task TheLastMemberMayLeaveEvenAsOwner()
    {
        await using var chat = await TestChat.StartAsync();
        var alice = await chat.UserAsync("alice");
        var group = await chat.Groups.CreateAsync(alice.Id, "Solo");

        await chat.Groups.LeaveAsync(alice.Id, group.Id);

        Assert.Empty(await chat.Groups.MineAsync(alice.Id));
    }
}
