using System.Security.Claims;
using Parley.Chat.Accounts;
using Parley.Chat.Friends;
using Parley.Chat.Presence;
using Parley.Chat.Storage;
using static Parley.Server.Api.ApiDtos;

namespace Parley.Server.Api;

/// <summary>The buddy list: requests, friends, categories, blocks.</summary>
internal static class FriendsApi
{
    public static void MapFriendsApi(this IEndpointRouteBuilder app)
    {
        var friends = app.MapGroup("/api/friends").RequireAuthorization();
        friends.MapPost("/requests", RequestAsync);
        friends.MapGet("/requests", RequestsAsync);
        friends.MapPost("/requests/{id}/accept", (string id, ClaimsPrincipal u, FriendService f, CancellationToken ct) => ApiResults.NoContentAfter(f.AcceptAsync(u.UserId(), id, ct)));
        friends.MapPost("/requests/{id}/decline", (string id, ClaimsPrincipal u, FriendService f, CancellationToken ct) => ApiResults.NoContentAfter(f.DeclineAsync(u.UserId(), id, ct)));
        friends.MapPost("/requests/{id}/cancel", (string id, ClaimsPrincipal u, FriendService f, CancellationToken ct) => ApiResults.NoContentAfter(f.CancelAsync(u.UserId(), id, ct)));
        friends.MapGet("/", ListAsync);
        friends.MapDelete("/{userId}", (string userId, ClaimsPrincipal u, FriendService f, CancellationToken ct) => ApiResults.NoContentAfter(f.RemoveAsync(u.UserId(), userId, ct)));
        friends.MapPut("/{userId}/category", (string userId, CategoryRequest body, ClaimsPrincipal u, FriendService f, CancellationToken ct) => ApiResults.NoContentAfter(f.MoveAsync(u.UserId(), userId, body.CategoryId, ct)));
        friends.MapPost("/categories", CreateCategoryAsync);
        friends.MapPatch("/categories/{id}", (string id, NameRequest body, ClaimsPrincipal u, FriendService f, CancellationToken ct) => ApiResults.NoContentAfter(f.RenameCategoryAsync(u.UserId(), id, body.Name, ct)));
        friends.MapDelete("/categories/{id}", (string id, ClaimsPrincipal u, FriendService f, CancellationToken ct) => ApiResults.NoContentAfter(f.DeleteCategoryAsync(u.UserId(), id, ct)));

        var blocks = app.MapGroup("/api/blocks").RequireAuthorization();
        blocks.MapGet("/", async (ClaimsPrincipal u, FriendService f, CancellationToken ct) => TypedResults.Ok(new BlockList(await f.BlockedAsync(u.UserId(), ct))));
        blocks.MapPut("/{userId}", (string userId, ClaimsPrincipal u, FriendService f, CancellationToken ct) => ApiResults.NoContentAfter(f.BlockAsync(u.UserId(), userId, ct)));
        blocks.MapDelete("/{userId}", (string userId, ClaimsPrincipal u, FriendService f, CancellationToken ct) => ApiResults.NoContentAfter(f.UnblockAsync(u.UserId(), userId, ct)));
    }

    private static async Task<IResult> RequestAsync(FriendRequestBody body, ClaimsPrincipal user, FriendService friends, CancellationToken ct)
    {
        var request = await friends.RequestAsync(user.UserId(), body.To, body.Note, ct);
        return TypedResults.Created($"/api/friends/requests/{request.Id}", new IdResponse(request.Id, request.Status.ToString().ToLowerInvariant()));
    }

    private static async Task<IResult> RequestsAsync(ClaimsPrincipal principal, FriendService friends, IChatStore store, CancellationToken ct)
    {
        var me = principal.UserId();
        var pending = await friends.PendingAsync(me, ct);
        var users = (await store.Users.GetUsersAsync([.. pending.SelectMany(r => new[] { r.From, r.To }).Distinct()], ct)).ToDictionary(u => u.Id);
        FriendRequestDto Dto(FriendRequest r) => new(r.Id, r.From, r.To, r.Note, r.CreatedAt.ToUnixTimeMilliseconds(), Summary(users.GetValueOrDefault(r.From)), Summary(users.GetValueOrDefault(r.To)));
        return TypedResults.Ok(new FriendRequestList([.. pending.Where(r => r.To == me).Select(Dto)], [.. pending.Where(r => r.From == me).Select(Dto)]));
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal principal, FriendService friends, PresenceService presence, CancellationToken ct)
    {
        var me = principal.UserId();
        var list = new List<UserSummary>();
        foreach (var (friend, user) in await friends.ListAsync(me, ct))
        {
            var status = await presence.StatusForAsync(user.Id, me, ct);
            list.Add(new UserSummary(user.Id, user.Username, user.DisplayName, user.StatusMessage, status.ToString().ToLowerInvariant(), user.LastSeen?.ToUnixTimeMilliseconds(), friend.CategoryId));
        }
        var categories = await friends.CategoriesAsync(me, ct);
        return TypedResults.Ok(new FriendList(list, [.. categories.Select(c => new CategoryDto(c.Id, c.Name, c.Position))]));
    }

    private static async Task<IResult> CreateCategoryAsync(NameRequest body, ClaimsPrincipal user, FriendService friends, CancellationToken ct)
    {
        var category = await friends.CreateCategoryAsync(user.UserId(), body.Name, ct);
        return TypedResults.Created($"/api/friends/categories/{category.Id}", new IdResponse(category.Id));
    }

    private static UserSummary? Summary(User? user) => user is null ? null : new UserSummary(user.Id, user.Username, user.DisplayName);
}
