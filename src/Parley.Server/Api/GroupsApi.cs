using System.Security.Claims;
using Parley.Chat;
using Parley.Chat.Groups;
using Parley.Chat.Presence;
using Parley.Chat.Storage;
using static Parley.Server.Api.ApiDtos;

namespace Parley.Server.Api;

/// <summary>Groups (群): create, members and roles, invitations, leave.</summary>
internal static class GroupsApi
{
    public static void MapGroupsApi(this IEndpointRouteBuilder app)
    {
        var groups = app.MapGroup("/api/groups").RequireAuthorization();
        groups.MapPost("/", CreateAsync);
        groups.MapGet("/", async (ClaimsPrincipal u, GroupService g, CancellationToken ct) =>
            TypedResults.Ok(new GroupList([.. (await g.MineAsync(u.UserId(), ct)).Select(Dto)])));
        groups.MapGet("/invitations", InvitationsAsync);
        groups.MapGet("/{id}", DetailAsync);
        groups.MapPatch("/{id}", (string id, NameRequest body, ClaimsPrincipal u, GroupService g, CancellationToken ct) => ApiResults.NoContentAfter(g.RenameAsync(u.UserId(), id, body.Name, ct)));
        groups.MapPost("/{id}/members", (string id, UserIdRequest body, ClaimsPrincipal u, GroupService g, CancellationToken ct) => ApiResults.NoContentAfter(g.AddMemberAsync(u.UserId(), id, body.UserId ?? "", ct)));
        groups.MapDelete("/{id}/members/{userId}", (string id, string userId, ClaimsPrincipal u, GroupService g, CancellationToken ct) =>
            ApiResults.NoContentAfter(userId == u.UserId() ? g.LeaveAsync(userId, id, ct) : g.KickAsync(u.UserId(), id, userId, ct)));
        groups.MapPut("/{id}/members/{userId}/role", SetRoleAsync);
        groups.MapPost("/{id}/leave", (string id, ClaimsPrincipal u, GroupService g, CancellationToken ct) => ApiResults.NoContentAfter(g.LeaveAsync(u.UserId(), id, ct)));
        groups.MapPost("/{id}/invitations", (string id, UserIdRequest body, ClaimsPrincipal u, GroupService g, CancellationToken ct) => ApiResults.NoContentAfter(g.InviteAsync(u.UserId(), id, body.UserId ?? "", ct)));
        groups.MapPost("/{id}/invitations/accept", (string id, ClaimsPrincipal u, GroupService g, CancellationToken ct) => ApiResults.NoContentAfter(g.AcceptInvitationAsync(u.UserId(), id, ct)));
        groups.MapPost("/{id}/invitations/decline", (string id, ClaimsPrincipal u, GroupService g, CancellationToken ct) => ApiResults.NoContentAfter(g.DeclineInvitationAsync(u.UserId(), id, ct)));
    }

    private static async Task<IResult> CreateAsync(NameRequest body, ClaimsPrincipal user, GroupService groups, CancellationToken ct)
    {
        var group = await groups.CreateAsync(user.UserId(), body.Name, ct);
        return TypedResults.Created($"/api/groups/{group.Id}", new IdResponse(group.Id));
    }

    private static async Task<IResult> DetailAsync(string id, ClaimsPrincipal principal, GroupService groups, PresenceService presence, IChatStore store, CancellationToken ct)
    {
        var group = await groups.GetAsync(principal.UserId(), id, ct);
        var members = await groups.MembersAsync(principal.UserId(), id, ct);
        var users = (await store.Users.GetUsersAsync([.. members.Select(m => m.UserId)], ct)).ToDictionary(u => u.Id);
        // Members see each other's presence in the group, except where a block stands between them.
        var list = new List<MemberDto>();
        var statuses = await presence.VisibleStatusAsync([.. members.Select(m => m.UserId)], ct);
        var own = await presence.OwnStatusAsync(principal.UserId(), ct);
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            if (!users.TryGetValue(member.UserId, out var user))
                continue;
            var blocked = member.UserId != principal.UserId()
                && (await store.Friends.IsBlockedAsync(member.UserId, principal.UserId(), ct) || await store.Friends.IsBlockedAsync(principal.UserId(), member.UserId, ct));
            var status = blocked ? PresenceStatus.Offline : member.UserId == principal.UserId() ? own : statuses[i];
            list.Add(new MemberDto(member.UserId, user.Username, user.DisplayName, member.Role.ToString().ToLowerInvariant(), status.ToString().ToLowerInvariant()));
        }
        return TypedResults.Ok(new GroupDetail(group.Id, group.Name, group.OwnerId, group.CreatedAt.ToUnixTimeMilliseconds(), list));
    }

    private static async Task<IResult> SetRoleAsync(string id, string userId, RoleRequest body, ClaimsPrincipal principal, GroupService groups, CancellationToken ct)
    {
        if (!Enum.TryParse<GroupRole>(body.Role, ignoreCase: true, out var role) || !Enum.IsDefined(role) || body.Role!.All(char.IsDigit))
            throw ChatException.Invalid("role_invalid", "role is member, admin or owner.");
        await groups.SetRoleAsync(principal.UserId(), id, userId, role, ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> InvitationsAsync(ClaimsPrincipal principal, GroupService groups, IChatStore store, CancellationToken ct)
    {
        var list = new List<InvitationDto>();
        foreach (var invitation in await groups.InvitationsAsync(principal.UserId(), ct))
        {
            if (await store.Groups.GetGroupAsync(invitation.GroupId, ct) is { } group)
                list.Add(new InvitationDto(group.Id, group.Name, invitation.InvitedBy, invitation.CreatedAt.ToUnixTimeMilliseconds()));
        }
        return TypedResults.Ok(new InvitationList(list));
    }

    private static GroupDto Dto(Group g) => new(g.Id, g.Name, g.OwnerId, g.CreatedAt.ToUnixTimeMilliseconds());
}
