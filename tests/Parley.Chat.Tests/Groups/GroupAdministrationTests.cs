using Parley.Chat.Accounts;
using Parley.Chat.Groups;
using Parley.Chat.Notifications;
using Parley.Chat.Tests.Support;

namespace Parley.Chat.Tests.Groups;

public sealed class GroupAdministrationTests
{
    private sealed record Team(Group Group, User Owner, User Admin, User Member, User Other);

    // owner alice, admin bob, members carol and dave
    private static async Task<Team> TeamAsync(TestChat chat)
    {
        var alice = await chat.UserAsync("alice");
        var bob = await chat.UserAsync("bob");
        var carol = await chat.UserAsync("carol");
        var dave = await chat.UserAsync("dave");
        var group = await chat.Groups.CreateAsync(alice.Id, "Team");
        foreach (var user in new[] { bob, carol, dave })
            await chat.Groups.AddMemberAsync(alice.Id, group.Id, user.Id);
        await chat.Groups.SetRoleAsync(alice.Id, group.Id, bob.Id, GroupRole.Admin);
        chat.Notifier.Clear();
        return new Team(group, alice, bob, carol, dave);
    }

    [Fact]
    public async Task AnAdminKicksAPlainMemberWhoIsToldAndUnsubscribed()
    {
        await using var chat = await TestChat.StartAsync();
        var team = await TeamAsync(chat);

        await chat.Groups.KickAsync(team.Admin.Id, team.Group.Id, team.Member.Id);

        Assert.False(await chat.Groups.IsMemberAsync(team.Member.Id, team.Group.Id));
        Assert.Equal([(team.Group.Id, team.Member.Id)], chat.Notifier.Departures);
        Assert.Equal([new GroupEvent("group-removed", team.Group.Id, "Team", team.Member.Id, team.Admin.Id, null)], chat.Notifier.EventsOf(team.Member.Id));
        Assert.Equal([new GroupEvent("group-member-removed", team.Group.Id, "Team", team.Member.Id, team.Admin.Id, null)], chat.Notifier.ToGroup<GroupEvent>(team.Group.Id));
    }

    [Fact]
    public async Task AnAdminCannotKickAnAdminOrTheOwner()
    {
        await using var chat = await TestChat.StartAsync();
        var team = await TeamAsync(chat);
        await chat.Groups.SetRoleAsync(team.Owner.Id, team.Group.Id, team.Other.Id, GroupRole.Admin);

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "role_too_low", () => chat.Groups.KickAsync(team.Admin.Id, team.Group.Id, team.Other.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "role_too_low", () => chat.Groups.KickAsync(team.Admin.Id, team.Group.Id, team.Owner.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "role_too_low", () => chat.Groups.KickAsync(team.Admin.Id, team.Group.Id, team.Admin.Id));

        Assert.Equal(4, (await chat.Groups.MembersAsync(team.Owner.Id, team.Group.Id)).Count);
        Assert.Empty(chat.Notifier.Departures);
    }

    [Fact]
    public async Task APlainMemberCannotKick()
    {
        await using var chat = await TestChat.StartAsync();
        var team = await TeamAsync(chat);

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "role_too_low", () => chat.Groups.KickAsync(team.Member.Id, team.Group.Id, team.Other.Id));
    }

    [Fact]
    public async Task TheOwnerKicksAnAdminButNotThemself()
    {
        await using var chat = await TestChat.StartAsync();
        var team = await TeamAsync(chat);

        await chat.Groups.KickAsync(team.Owner.Id, team.Group.Id, team.Admin.Id);
        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "role_too_low", () => chat.Groups.KickAsync(team.Owner.Id, team.Group.Id, team.Owner.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "member_not_found", () => chat.Groups.KickAsync(team.Owner.Id, team.Group.Id, team.Admin.Id));

        Assert.False(await chat.Groups.IsMemberAsync(team.Admin.Id, team.Group.Id));
    }

    [Fact]
    public async Task TheOwnerSetsRolesAndTheGroupHearsOfIt()
    {
        await using var chat = await TestChat.StartAsync();
        var team = await TeamAsync(chat);

        await chat.Groups.SetRoleAsync(team.Owner.Id, team.Group.Id, team.Member.Id, GroupRole.Admin);
        await chat.Groups.SetRoleAsync(team.Owner.Id, team.Group.Id, team.Admin.Id, GroupRole.Member);

        var roles = (await chat.Groups.MembersAsync(team.Owner.Id, team.Group.Id)).ToDictionary(m => m.UserId, m => m.Role);
        Assert.Equal(GroupRole.Admin, roles[team.Member.Id]);
        Assert.Equal(GroupRole.Member, roles[team.Admin.Id]);
        Assert.Equal(
            [
                new GroupEvent("group-role", team.Group.Id, "Team", team.Member.Id, team.Owner.Id, "admin"),
                new GroupEvent("group-role", team.Group.Id, "Team", team.Admin.Id, team.Owner.Id, "member"),
            ],
            chat.Notifier.ToGroup<GroupEvent>(team.Group.Id));
    }

    [Fact]
    public async Task OnlyTheOwnerSetsRolesAndNotTheirOwn()
    {
        await using var chat = await TestChat.StartAsync();
        var team = await TeamAsync(chat);

        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "role_too_low", () => chat.Groups.SetRoleAsync(team.Admin.Id, team.Group.Id, team.Member.Id, GroupRole.Admin));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "cannot_change_own_role", () => chat.Groups.SetRoleAsync(team.Owner.Id, team.Group.Id, team.Owner.Id, GroupRole.Member));
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "member_not_found", () => chat.Groups.SetRoleAsync(team.Owner.Id, team.Group.Id, Ids.New(), GroupRole.Admin));
    }

    [Fact]
    public async Task HandingOverOwnershipMakesTheOldOwnerAnAdmin()
    {
        await using var chat = await TestChat.StartAsync();
        var team = await TeamAsync(chat);

        await chat.Groups.SetRoleAsync(team.Owner.Id, team.Group.Id, team.Member.Id, GroupRole.Owner);

        var roles = (await chat.Groups.MembersAsync(team.Owner.Id, team.Group.Id)).ToDictionary(m => m.UserId, m => m.Role);
        Assert.Equal(GroupRole.Owner, roles[team.Member.Id]);
        Assert.Equal(GroupRole.Admin, roles[team.Owner.Id]);
        Assert.Single(roles.Values, r => r == GroupRole.Owner);
        Assert.Equal(
            [
                new GroupEvent("group-role", team.Group.Id, "Team", team.Owner.Id, team.Owner.Id, "admin"),
                new GroupEvent("group-role", team.Group.Id, "Team", team.Member.Id, team.Owner.Id, "owner"),
            ],
            chat.Notifier.ToGroup<GroupEvent>(team.Group.Id));
        await chat.Groups.KickAsync(team.Member.Id, team.Group.Id, team.Owner.Id);
        await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "group_not_found", () => chat.Groups.SetRoleAsync(team.Owner.Id, team.Group.Id, team.Admin.Id, GroupRole.Member));
    }

    [Fact]
    public async Task HandingOverOwnershipChangesTheGroupsOwner()
    {
        await using var chat = await TestChat.StartAsync();
        var team = await TeamAsync(chat);

        await chat.Groups.SetRoleAsync(team.Owner.Id, team.Group.Id, team.Member.Id, GroupRole.Owner);

        Assert.Equal(team.Member.Id, (await chat.Groups.GetAsync(team.Member.Id, team.Group.Id)).OwnerId);
    }

    [Fact]
    public async Task AnAdminRenamesTheGroupAndTheGroupHearsOfIt()
    {
        await using var chat = await TestChat.StartAsync();
        var team = await TeamAsync(chat);

        await chat.Groups.RenameAsync(team.Admin.Id, team.Group.Id, " 新名字 🆕 ");

        Assert.Equal("新名字 🆕", (await chat.Groups.GetAsync(team.Member.Id, team.Group.Id)).Name);
        Assert.Equal([new GroupEvent("group-renamed", team.Group.Id, "新名字 🆕", null, team.Admin.Id, null)], chat.Notifier.ToGroup<GroupEvent>(team.Group.Id));
        await ChatAssert.RefusedAsync(ChatErrorKind.Forbidden, "role_too_low", () => chat.Groups.RenameAsync(team.Member.Id, team.Group.Id, "Mine now"));
        await ChatAssert.RefusedAsync(ChatErrorKind.Invalid, "display_name_invalid", () => chat.Groups.RenameAsync(team.Owner.Id, team.Group.Id, "bad\nname"));
    }

    [Fact]
    public async Task ANonMemberIsToldTheGroupDoesNotExistWhateverTheyTry()
    {
        await using var chat = await TestChat.StartAsync();
        var team = await TeamAsync(chat);
        var eve = await chat.UserAsync("eve");
        var id = team.Group.Id;

        var attempts = new Func<Task>[]
        {
            () => chat.Groups.GetAsync(eve.Id, id),
            () => chat.Groups.MembersAsync(eve.Id, id),
            () => chat.Groups.AddMemberAsync(eve.Id, id, eve.Id),
            () => chat.Groups.InviteAsync(eve.Id, id, eve.Id),
            () => chat.Groups.LeaveAsync(eve.Id, id),
            () => chat.Groups.KickAsync(eve.Id, id, team.Member.Id),
            () => chat.Groups.SetRoleAsync(eve.Id, id, eve.Id, GroupRole.Owner),
            () => chat.Groups.RenameAsync(eve.Id, id, "Eve's"),
            () => chat.Groups.GetAsync(eve.Id, Ids.New()),
            () => chat.Groups.GetAsync(eve.Id, "../../etc"),
        };
        foreach (var attempt in attempts)
            await ChatAssert.RefusedAsync(ChatErrorKind.NotFound, "group_not_found", attempt);

        Assert.False(await chat.Groups.IsMemberAsync(eve.Id, id));
        Assert.Equal("Team", (await chat.Groups.GetAsync(team.Owner.Id, id)).Name);
        Assert.Empty(chat.Notifier.All);
    }
}
