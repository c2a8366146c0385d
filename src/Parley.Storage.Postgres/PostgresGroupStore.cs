using Npgsql;
using Parley.Chat.Conversations;
using Parley.Chat.Groups;
using Parley.Chat.Storage;

namespace Parley.Storage.Postgres;

internal sealed class PostgresGroupStore(PostgresDatabase db) : IGroupStore
{
    private const string InvitationColumns = "group_id, user_id, invited_by, created_at";

    // Changes to a group's membership first lock its row (NO KEY: foreign-key checks of other
    // writers still pass), so they queue per group across nodes and always lock in the same order.
    private const string LockGroup = "SELECT 1 FROM chat_groups WHERE id = $1 FOR NO KEY UPDATE";

    public Task CreateGroupAsync(Group group, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        return db.TransactAsync(async s =>
        {
            await s.ExecuteAsync(
                "INSERT INTO chat_groups (id, name, owner_id, created_at) VALUES ($1, $2, $3, $4)",
                group.Id, group.Name, group.OwnerId, group.CreatedAt);
            await JoinAsync(s, new GroupMember(group.Id, group.OwnerId, GroupRole.Owner, group.CreatedAt));
        }, cancellationToken);
    }

    public Task<Group?> GetGroupAsync(string groupId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.QuerySingleAsync("SELECT id, name, owner_id, created_at FROM chat_groups WHERE id = $1", ReadGroup, groupId), cancellationToken);

    public Task<bool> RenameGroupAsync(string groupId, string name, CancellationToken cancellationToken = default) =>
        db.RunAsync(async s => await s.ExecuteAsync("UPDATE chat_groups SET name = $2 WHERE id = $1", groupId, name) == 1, cancellationToken);

    public Task<AddMemberResult> AddMemberAsync(GroupMember member, int cap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        return db.TransactAsync(async s =>
        {
            // With the group locked, the count cannot change before the insert: concurrent adds,
            // from any node, cannot overshoot the cap. (An unknown group fails the insert's foreign key.)
            await s.ExecuteAsync(LockGroup, member.GroupId);
            if (await s.ExistsAsync("SELECT 1 FROM group_members WHERE group_id = $1 AND user_id = $2", member.GroupId, member.UserId))
            {
                await RemoveInvitationAsync(s, member.GroupId, member.UserId);
                return AddMemberResult.AlreadyMember;
            }
            var count = await s.ScalarAsync<long>("SELECT count(*) FROM group_members WHERE group_id = $1", member.GroupId);
            if (count >= cap)
                return AddMemberResult.Full;
            await JoinAsync(s, member);
            await RemoveInvitationAsync(s, member.GroupId, member.UserId);
            return AddMemberResult.Added;
        }, cancellationToken);
    }

    public Task<bool> RemoveMemberAsync(string groupId, string userId, CancellationToken cancellationToken = default) =>
        db.TransactAsync(async s =>
        {
            await s.ExecuteAsync(LockGroup, groupId);
            if (await s.ExecuteAsync("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2", groupId, userId) == 0)
                return false;
            await s.ExecuteAsync(
                "DELETE FROM conversation_members WHERE conversation = $1 AND user_id = $2",
                ConversationId.ForGroup(groupId), userId);
            return true;
        }, cancellationToken);

    public Task<bool> SetRoleAsync(string groupId, string userId, GroupRole role, CancellationToken cancellationToken = default) =>
        db.RunAsync(async s => await s.ExecuteAsync(
            "UPDATE group_members SET role = $3 WHERE group_id = $1 AND user_id = $2",
            groupId, userId, role) == 1, cancellationToken);

    public Task<bool> TransferOwnershipAsync(string groupId, string fromUserId, string toUserId, CancellationToken cancellationToken = default) =>
        db.TransactAsync(async s =>
        {
            await s.ExecuteAsync(LockGroup, groupId);
            const string setRole = "UPDATE group_members SET role = $3 WHERE group_id = $1 AND user_id = $2";
            if (await s.ExecuteAsync(setRole, groupId, toUserId, GroupRole.Owner) != 1)
                return false;
            if (await s.ExecuteAsync(setRole, groupId, fromUserId, GroupRole.Admin) != 1)
                throw new InvalidOperationException("The previous owner is not a member.");
            await s.ExecuteAsync("UPDATE chat_groups SET owner_id = $2 WHERE id = $1", groupId, toUserId);
            return true;
        }, cancellationToken);

    public Task<GroupMember?> GetMemberAsync(string groupId, string userId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.QuerySingleAsync(
            "SELECT group_id, user_id, role, joined_at FROM group_members WHERE group_id = $1 AND user_id = $2",
            ReadMember, groupId, userId), cancellationToken);

    public async Task<IReadOnlyList<GroupMember>> ListMembersAsync(string groupId, CancellationToken cancellationToken = default) =>
        await db.RunAsync(s => s.QueryAsync(
            """
            SELECT group_id, user_id, role, joined_at FROM group_members
            WHERE group_id = $1
            ORDER BY role = 2 DESC, joined_at, row_id
            """,
            ReadMember, groupId), cancellationToken);

    public async Task<IReadOnlyList<Group>> ListGroupsOfUserAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.RunAsync(s => s.QueryAsync(
            """
            SELECT g.id, g.name, g.owner_id, g.created_at
            FROM group_members gm JOIN chat_groups g ON g.id = gm.group_id
            WHERE gm.user_id = $1
            ORDER BY gm.joined_at, gm.row_id
            """,
            ReadGroup, userId), cancellationToken);

    public Task<bool> AddInvitationAsync(GroupInvitation invitation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(invitation);
        return db.RunAsync(async s => await s.ExecuteAsync(
            $"INSERT INTO group_invitations ({InvitationColumns}) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            invitation.GroupId, invitation.UserId, invitation.InvitedBy, invitation.CreatedAt) == 1,
            cancellationToken);
    }

    public Task<GroupInvitation?> GetInvitationAsync(string groupId, string userId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => s.QuerySingleAsync(
            $"SELECT {InvitationColumns} FROM group_invitations WHERE group_id = $1 AND user_id = $2",
            ReadInvitation, groupId, userId), cancellationToken);

    public Task<bool> RemoveInvitationAsync(string groupId, string userId, CancellationToken cancellationToken = default) =>
        db.RunAsync(s => RemoveInvitationAsync(s, groupId, userId), cancellationToken);

    public async Task<IReadOnlyList<GroupInvitation>> ListInvitationsAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.RunAsync(s => s.QueryAsync(
            $"SELECT {InvitationColumns} FROM group_invitations WHERE user_id = $1 ORDER BY created_at, row_id",
            ReadInvitation, userId), cancellationToken);

    /// <summary>Group membership plus membership of the group's conversation, read up to its last message.</summary>
    private static async Task JoinAsync(PostgresSession s, GroupMember member)
    {
        await s.ExecuteAsync(
            "INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)",
            member.GroupId, member.UserId, member.Role, member.JoinedAt);
        var conversation = ConversationId.ForGroup(member.GroupId);
        var last = await PostgresConversationStore.EnsureConversationAsync(s, conversation);
        await s.ExecuteAsync(
            """
            INSERT INTO conversation_members (conversation, user_id, read_seq) VALUES ($1, $2, $3)
            ON CONFLICT (conversation, user_id) DO UPDATE SET read_seq = GREATEST(conversation_members.read_seq, excluded.read_seq)
            """,
            conversation, member.UserId, last);
    }

    private static async Task<bool> RemoveInvitationAsync(PostgresSession s, string groupId, string userId) =>
        await s.ExecuteAsync("DELETE FROM group_invitations WHERE group_id = $1 AND user_id = $2", groupId, userId) == 1;

    private static Group ReadGroup(NpgsqlDataReader row) =>
        new(row.GetString(0), row.GetString(1), row.GetString(2), PostgresRows.Time(row, 3));

    private static GroupMember ReadMember(NpgsqlDataReader row) =>
        new(row.GetString(0), row.GetString(1), (GroupRole)row.GetInt16(2), PostgresRows.Time(row, 3));

    private static GroupInvitation ReadInvitation(NpgsqlDataReader row) =>
        new(row.GetString(0), row.GetString(1), row.GetString(2), PostgresRows.Time(row, 3));
}
