using Microsoft.Data.Sqlite;
using Parley.Chat.Conversations;
using Parley.Chat.Groups;
using Parley.Chat.Storage;

namespace Parley.Storage.Sqlite;

internal sealed class SqliteGroupStore(SqliteDatabase db) : IGroupStore
{
    private const string InvitationColumns = "group_id, user_id, invited_by, created_at";

    public Task CreateGroupAsync(Group group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        return db.WriteAsync(s =>
        {
            s.Execute(
                "INSERT INTO chat_groups (id, name, owner_id, created_at) VALUES ($id, $name, $owner, $at)",
                ("$id", group.Id), ("$name", group.Name), ("$owner", group.OwnerId), ("$at", group.CreatedAt));
            Join(s, new GroupMember(group.Id, group.OwnerId, GroupRole.Owner, group.CreatedAt));
        }, cancellationToken);
    }

    public Task<Group?> GetGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.QuerySingle("SELECT id, name, owner_id, created_at FROM chat_groups WHERE id = $id", ReadGroup, ("$id", groupId)), cancellationToken);

    public Task<bool> RenameGroupAsync(string groupId, string name, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute("UPDATE chat_groups SET name = $name WHERE id = $id", ("$id", groupId), ("$name", name)) == 1, cancellationToken);

    public Task<AddMemberResult> AddMemberAsync(GroupMember member, int cap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        return db.WriteAsync(s =>
        {
            // Check and insert run in one writer operation, so concurrent adds cannot overshoot the cap.
            if (s.ScalarInt64("SELECT 1 FROM group_members WHERE group_id = $g AND user_id = $u", ("$g", member.GroupId), ("$u", member.UserId)) is not null)
            {
                RemoveInvitation(s, member.GroupId, member.UserId);
                return AddMemberResult.AlreadyMember;
            }
            var count = s.ScalarInt64("SELECT count(*) FROM group_members WHERE group_id = $g", ("$g", member.GroupId)) ?? 0;
            if (count >= cap)
                return AddMemberResult.Full;
            Join(s, member);
            RemoveInvitation(s, member.GroupId, member.UserId);
            return AddMemberResult.Added;
        }, cancellationToken);
    }

    public Task<bool> RemoveMemberAsync(string groupId, string userId, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s =>
        {
            if (s.Execute("DELETE FROM group_members WHERE group_id = $g AND user_id = $u", ("$g", groupId), ("$u", userId)) == 0)
                return false;
            s.Execute(
                "DELETE FROM conversation_members WHERE conversation = $conv AND user_id = $u",
                ("$conv", ConversationId.ForGroup(groupId)), ("$u", userId));
            return true;
        }, cancellationToken);

    public Task<bool> SetRoleAsync(string groupId, string userId, GroupRole role, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => s.Execute(
            "UPDATE group_members SET role = $role WHERE group_id = $g AND user_id = $u",
            ("$g", groupId), ("$u", userId), ("$role", role)) == 1, cancellationToken);

    public Task<bool> TransferOwnershipAsync(string groupId, string fromUserId, string toUserId, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s =>
        {
            if (s.Execute("UPDATE group_members SET role = $role WHERE group_id = $g AND user_id = $u", ("$g", groupId), ("$u", toUserId), ("$role", GroupRole.Owner)) != 1)
                return false;
            if (s.Execute("UPDATE group_members SET role = $role WHERE group_id = $g AND user_id = $u", ("$g", groupId), ("$u", fromUserId), ("$role", GroupRole.Admin)) != 1)
                throw new InvalidOperationException("The previous owner is not a member.");
            s.Execute("UPDATE chat_groups SET owner_id = $u WHERE id = $g", ("$g", groupId), ("$u", toUserId));
            return true;
        }, cancellationToken);

    public Task<GroupMember?> GetMemberAsync(string groupId, string userId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.QuerySingle(
            "SELECT group_id, user_id, role, joined_at FROM group_members WHERE group_id = $g AND user_id = $u",
            ReadMember, ("$g", groupId), ("$u", userId)), cancellationToken);

    public async Task<IReadOnlyList<GroupMember>> ListMembersAsync(string groupId, CancellationToken cancellationToken = default) =>
        await db.ReadAsync(s => s.Query(
            """
            SELECT group_id, user_id, role, joined_at FROM group_members
            WHERE group_id = $g
            ORDER BY role = 2 DESC, joined_at, rowid
            """,
            ReadMember, ("$g", groupId)), cancellationToken);

    public async Task<IReadOnlyList<Group>> ListGroupsOfUserAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.ReadAsync(s => s.Query(
            """
            SELECT g.id, g.name, g.owner_id, g.created_at
            FROM group_members gm JOIN chat_groups g ON g.id = gm.group_id
            WHERE gm.user_id = $u
            ORDER BY gm.joined_at, gm.rowid
            """,
            ReadGroup, ("$u", userId)), cancellationToken);

    public Task<bool> AddInvitationAsync(GroupInvitation invitation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        return db.WriteAsync(s => s.Execute(
            $"INSERT INTO group_invitations ({InvitationColumns}) VALUES ($g, $u, $by, $at) ON CONFLICT DO NOTHING",
            ("$g", invitation.GroupId), ("$u", invitation.UserId), ("$by", invitation.InvitedBy), ("$at", invitation.CreatedAt)) == 1,
            cancellationToken);
    }

    public Task<GroupInvitation?> GetInvitationAsync(string groupId, string userId, CancellationToken cancellationToken = default) =>
        db.ReadAsync(s => s.QuerySingle(
            $"SELECT {InvitationColumns} FROM group_invitations WHERE group_id = $g AND user_id = $u",
            ReadInvitation, ("$g", groupId), ("$u", userId)), cancellationToken);

    public Task<bool> RemoveInvitationAsync(string groupId, string userId, CancellationToken cancellationToken = default) =>
        db.WriteAsync(s => RemoveInvitation(s, groupId, userId), cancellationToken);

    public async Task<IReadOnlyList<GroupInvitation>> ListInvitationsAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.ReadAsync(s => s.Query(
            $"SELECT {InvitationColumns} FROM group_invitations WHERE user_id = $u ORDER BY created_at, rowid",
            ReadInvitation, ("$u", userId)), cancellationToken);

    /// <summary>Group membership plus membership of the group's conversation, read up to its last message.</summary>
    private static void Join(SqliteSession s, GroupMember member)
    {
        s.Execute(
            "INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES ($g, $u, $role, $at)",
            ("$g", member.GroupId), ("$u", member.UserId), ("$role", member.Role), ("$at", member.JoinedAt));
        var conversation = ConversationId.ForGroup(member.GroupId);
        var last = SqliteConversationStore.EnsureConversation(s, conversation);
        s.Execute(
            """
            INSERT INTO conversation_members (conversation, user_id, read_seq) VALUES ($conv, $u, $last)
            ON CONFLICT (conversation, user_id) DO UPDATE SET read_seq = max(read_seq, excluded.read_seq)
            """,
            ("$conv", conversation), ("$u", member.UserId), ("$last", last));
    }

    private static bool RemoveInvitation(SqliteSession s, string groupId, string userId) =>
        s.Execute("DELETE FROM group_invitations WHERE group_id = $g AND user_id = $u", ("$g", groupId), ("$u", userId)) == 1;

    private static Group ReadGroup(SqliteDataReader row) =>
        new(row.GetString(0), row.GetString(1), row.GetString(2), SqliteRows.Time(row, 3));

    private static GroupMember ReadMember(SqliteDataReader row) =>
        new(row.GetString(0), row.GetString(1), (GroupRole)row.GetInt32(2), SqliteRows.Time(row, 3));

    private static GroupInvitation ReadInvitation(SqliteDataReader row) =>
        new(row.GetString(0), row.GetString(1), row.GetString(2), SqliteRows.Time(row, 3));
}
