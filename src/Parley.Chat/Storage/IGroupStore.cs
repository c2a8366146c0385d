using Parley.Chat.Groups;

namespace Parley.Chat.Storage;

/// <summary>What adding a member did.</summary>
public enum AddMemberResult
{
    /// <summary>The user is now a member.</summary>
    Added,
    /// <summary>The user already was.</summary>
    AlreadyMember,
    /// <summary>The group is at its member cap.</summary>
    Full,
}

/// <summary>
/// Groups, members and invitations. Membership also makes the user a member of the group's
/// conversation (<c>Conversations.ConversationId.ForGroup</c>), with the read mark at the
/// conversation's last seq, so a newcomer's unread count starts at zero.
/// </summary>
public interface IGroupStore
{
    /// <summary>Creates the group with its owner as the first member (role Owner).</summary>
    Task CreateGroupAsync(Group group, CancellationToken cancellationToken = default);

    /// <summary>A group by id, or null.</summary>
    Task<Group?> GetGroupAsync(string groupId, CancellationToken cancellationToken = default);

    /// <summary>Renames a group; false when unknown.</summary>
    Task<bool> RenameGroupAsync(string groupId, string name, CancellationToken cancellationToken = default);

    /// <summary>Adds a member unless present or the group has <paramref name="cap"/> members already; removes any invitation of that user.</summary>
    Task<AddMemberResult> AddMemberAsync(GroupMember member, int cap, CancellationToken cancellationToken = default);

    /// <summary>Removes a member (and their conversation membership); false when not a member.</summary>
    Task<bool> RemoveMemberAsync(string groupId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Changes a member's role; false when not a member.</summary>
    Task<bool> SetRoleAsync(string groupId, string userId, GroupRole role, CancellationToken cancellationToken = default);

    /// <summary>In one transaction: <paramref name="toUserId"/> becomes the owner (also the group's owner id) and the previous owner an admin. False when either is not a member.</summary>
    Task<bool> TransferOwnershipAsync(string groupId, string fromUserId, string toUserId, CancellationToken cancellationToken = default);

    /// <summary>A member, or null.</summary>
    Task<GroupMember?> GetMemberAsync(string groupId, string userId, CancellationToken cancellationToken = default);

    /// <summary>The members, owner first, then by join time.</summary>
    Task<IReadOnlyList<GroupMember>> ListMembersAsync(string groupId, CancellationToken cancellationToken = default);

    /// <summary>The groups the user belongs to.</summary>
    Task<IReadOnlyList<Group>> ListGroupsOfUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Stores an invitation; false when one is already pending.</summary>
    Task<bool> AddInvitationAsync(GroupInvitation invitation, CancellationToken cancellationToken = default);

    /// <summary>The pending invitation of a user to a group, or null.</summary>
    Task<GroupInvitation?> GetInvitationAsync(string groupId, string userId, CancellationToken cancellationToken = default);

    /// <summary>Withdraws or declines an invitation; false when none.</summary>
    Task<bool> RemoveInvitationAsync(string groupId, string userId, CancellationToken cancellationToken = default);

    /// <summary>The user's pending invitations.</summary>
    Task<IReadOnlyList<GroupInvitation>> ListInvitationsAsync(string userId, CancellationToken cancellationToken = default);
}
