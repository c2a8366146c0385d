using Microsoft.Extensions.Options;
using Parley.Chat.Accounts;
using Parley.Chat.Notifications;
using Parley.Chat.Storage;

namespace Parley.Chat.Groups;

/// <summary>
/// Groups (群): creation, invitations, members and roles. Owners and admins add and remove
/// members and rename the group; only the owner appoints admins and hands over ownership.
/// </summary>
public sealed class GroupService(IChatStore store, AccountService accounts, IChatNotifier notifier, IOptions<ChatOptions> options, TimeProvider time)
{
    private readonly ChatOptions _options = options.Value;

    /// <summary>Creates a group owned by the caller.</summary>
    public async Task<Group> CreateAsync(string ownerId, string? name, CancellationToken cancellationToken = default)
    {
        var group = new Group(Ids.New(), Names.CleanDisplayName(name), ownerId, time.GetUtcNow());
        await store.Groups.CreateGroupAsync(group, cancellationToken);
        await notifier.ToUserAsync(ownerId, new GroupEvent("group-added", group.Id, group.Name, ownerId, ownerId, nameof(GroupRole.Owner).ToLowerInvariant()), cancellationToken);
        return group;
    }

    /// <summary>A group the caller belongs to.</summary>
    public async Task<Group> GetAsync(string userId, string groupId, CancellationToken cancellationToken = default)
    {
        await RequireRoleAsync(userId, groupId, GroupRole.Member, cancellationToken);
        return await store.Groups.GetGroupAsync(groupId, cancellationToken) ?? throw NotFound();
    }

    /// <summary>The groups the caller belongs to.</summary>
    public Task<IReadOnlyList<Group>> MineAsync(string userId, CancellationToken cancellationToken = default) =>
        store.Groups.ListGroupsOfUserAsync(userId, cancellationToken);

    /// <summary>The members (members only).</summary>
    public async Task<IReadOnlyList<GroupMember>> MembersAsync(string userId, string groupId, CancellationToken cancellationToken = default)
    {
        await RequireRoleAsync(userId, groupId, GroupRole.Member, cancellationToken);
        return await store.Groups.ListMembersAsync(groupId, cancellationToken);
    }

    /// <summary>An owner or admin adds a user directly.</summary>
    public async Task AddMemberAsync(string actorId, string groupId, string userId, CancellationToken cancellationToken = default)
    {
        await RequireRoleAsync(actorId, groupId, GroupRole.Admin, cancellationToken);
        var user = await accounts.ResolveAsync(userId, cancellationToken) ?? throw ChatException.NotFound("user_not_found", "No such user.");
        await JoinAsync(groupId, user.Id, actorId, cancellationToken);
    }

    /// <summary>Any member invites a user; the invitee accepts or declines.</summary>
    public async Task InviteAsync(string actorId, string groupId, string userId, CancellationToken cancellationToken = default)
    {
        await RequireRoleAsync(actorId, groupId, GroupRole.Member, cancellationToken);
        var user = await accounts.ResolveAsync(userId, cancellationToken) ?? throw ChatException.NotFound("user_not_found", "No such user.");
        if (await store.Groups.GetMemberAsync(groupId, user.Id, cancellationToken) is not null)
            throw ChatException.Conflict("already_member", "That user is already a member.");
        if (await store.Friends.IsBlockedAsync(user.Id, actorId, cancellationToken))
            throw ChatException.Forbidden("blocked", "That user does not accept your invitations.");
        if (!await store.Groups.AddInvitationAsync(new GroupInvitation(groupId, user.Id, actorId, time.GetUtcNow()), cancellationToken))
            throw ChatException.Conflict("invitation_pending", "That user is already invited.");
        var group = await store.Groups.GetGroupAsync(groupId, cancellationToken) ?? throw NotFound();
        await notifier.ToUserAsync(user.Id, new GroupEvent("group-invited", groupId, group.Name, user.Id, actorId, null), cancellationToken);
    }

    /// <summary>The caller's pending invitations.</summary>
    public Task<IReadOnlyList<GroupInvitation>> InvitationsAsync(string userId, CancellationToken cancellationToken = default) =>
        store.Groups.ListInvitationsAsync(userId, cancellationToken);

    /// <summary>The invitee accepts and joins.</summary>
    public async Task AcceptInvitationAsync(string userId, string groupId, CancellationToken cancellationToken = default)
    {
        var invitation = await store.Groups.GetInvitationAsync(groupId, userId, cancellationToken)
            ?? throw ChatException.NotFound("invitation_not_found", "No such invitation.");
        await JoinAsync(groupId, userId, invitation.InvitedBy, cancellationToken);
    }

    /// <summary>The invitee declines.</summary>
    public async Task DeclineInvitationAsync(string userId, string groupId, CancellationToken cancellationToken = default)
    {
        if (!await store.Groups.RemoveInvitationAsync(groupId, userId, cancellationToken))
            throw ChatException.NotFound("invitation_not_found", "No such invitation.");
    }

    /// <summary>A member leaves. The owner must hand over ownership first unless they are the last member.</summary>
    public async Task LeaveAsync(string userId, string groupId, CancellationToken cancellationToken = default)
    {
        var member = await RequireRoleAsync(userId, groupId, GroupRole.Member, cancellationToken);
        if (member.Role == GroupRole.Owner && (await store.Groups.ListMembersAsync(groupId, cancellationToken)).Count > 1)
            throw ChatException.Conflict("owner_must_transfer", "Hand ownership to another member before leaving.");
        await RemoveAsync(groupId, userId, userId, cancellationToken);
    }

    /// <summary>An owner removes anyone else; an admin removes plain members.</summary>
    public async Task KickAsync(string actorId, string groupId, string userId, CancellationToken cancellationToken = default)
    {
        var actor = await RequireRoleAsync(actorId, groupId, GroupRole.Admin, cancellationToken);
        var target = await store.Groups.GetMemberAsync(groupId, userId, cancellationToken)
            ?? throw ChatException.NotFound("member_not_found", "That user is not a member.");
        if (target.UserId == actorId || target.Role >= actor.Role)
            throw ChatException.Forbidden("role_too_low", "You cannot remove a member of your rank or above.");
        await RemoveAsync(groupId, userId, actorId, cancellationToken);
    }

    /// <summary>The owner sets a member's role; giving Owner hands over ownership (the old owner becomes an admin).</summary>
    public async Task SetRoleAsync(string actorId, string groupId, string userId, GroupRole role, CancellationToken cancellationToken = default)
    {
        await RequireRoleAsync(actorId, groupId, GroupRole.Owner, cancellationToken);
        if (userId == actorId)
            throw ChatException.Invalid("cannot_change_own_role", "Hand ownership to someone else instead.");
        if (await store.Groups.GetMemberAsync(groupId, userId, cancellationToken) is null)
            throw ChatException.NotFound("member_not_found", "That user is not a member.");
        var group = await store.Groups.GetGroupAsync(groupId, cancellationToken) ?? throw NotFound();
        if (role == GroupRole.Owner)
        {
            await store.Groups.TransferOwnershipAsync(groupId, actorId, userId, cancellationToken);
            await notifier.ToGroupAsync(groupId, new GroupEvent("group-role", groupId, group.Name, actorId, actorId, "admin"), cancellationToken);
        }
        else
        {
            await store.Groups.SetRoleAsync(groupId, userId, role, cancellationToken);
        }
        await notifier.ToGroupAsync(groupId, new GroupEvent("group-role", groupId, group.Name, userId, actorId, role.ToString().ToLowerInvariant()), cancellationToken);
    }

    /// <summary>An owner or admin renames the group.</summary>
    public async Task RenameAsync(string actorId, string groupId, string? name, CancellationToken cancellationToken = default)
    {
        await RequireRoleAsync(actorId, groupId, GroupRole.Admin, cancellationToken);
        var clean = Names.CleanDisplayName(name);
        await store.Groups.RenameGroupAsync(groupId, clean, cancellationToken);
        await notifier.ToGroupAsync(groupId, new GroupEvent("group-renamed", groupId, clean, null, actorId, null), cancellationToken);
    }

    /// <summary>True when the user belongs to the group.</summary>
    public async Task<bool> IsMemberAsync(string userId, string groupId, CancellationToken cancellationToken = default) =>
        Ids.IsWellFormed(groupId) && await store.Groups.GetMemberAsync(groupId, userId, cancellationToken) is not null;

    private async Task JoinAsync(string groupId, string userId, string byId, CancellationToken cancellationToken)
    {
        var group = await store.Groups.GetGroupAsync(groupId, cancellationToken) ?? throw NotFound();
        var result = await store.Groups.AddMemberAsync(new GroupMember(groupId, userId, GroupRole.Member, time.GetUtcNow()), _options.GroupMemberCap, cancellationToken);
        switch (result)
        {
            case AddMemberResult.AlreadyMember:
                throw ChatException.Conflict("already_member", "That user is already a member.");
            case AddMemberResult.Full:
                throw ChatException.Conflict("group_full", $"The group has reached its cap of {_options.GroupMemberCap} members.");
        }
        await notifier.ToUserAsync(userId, new GroupEvent("group-added", groupId, group.Name, userId, byId, "member"), cancellationToken);
        await notifier.ToGroupAsync(groupId, new GroupEvent("group-member-added", groupId, group.Name, userId, byId, "member"), cancellationToken);
    }

    private async Task RemoveAsync(string groupId, string userId, string byId, CancellationToken cancellationToken)
    {
        var group = await store.Groups.GetGroupAsync(groupId, cancellationToken) ?? throw NotFound();
        if (!await store.Groups.RemoveMemberAsync(groupId, userId, cancellationToken))
            throw ChatException.NotFound("member_not_found", "That user is not a member.");
        await notifier.LeftGroupAsync(groupId, userId, cancellationToken);
        await notifier.ToUserAsync(userId, new GroupEvent("group-removed", groupId, group.Name, userId, byId, null), cancellationToken);
        await notifier.ToGroupAsync(groupId, new GroupEvent("group-member-removed", groupId, group.Name, userId, byId, null), cancellationToken);
    }

    private async Task<GroupMember> RequireRoleAsync(string userId, string groupId, GroupRole least, CancellationToken cancellationToken)
    {
        var member = Ids.IsWellFormed(groupId) ? await store.Groups.GetMemberAsync(groupId, userId, cancellationToken) : null;
        if (member is null)
            throw NotFound();
        if (member.Role < least)
            throw ChatException.Forbidden("role_too_low", $"Only a group {least.ToString().ToLowerInvariant()} or above can do that.");
        return member;
    }

    private static ChatException NotFound() => ChatException.NotFound("group_not_found", "No such group.");
}
