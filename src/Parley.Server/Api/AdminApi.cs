using System.Security.Claims;
using Parley.Chat;
using Parley.Chat.Accounts;
using Parley.Chat.Notifications;
using static Parley.Server.Api.ApiDtos;

namespace Parley.Server.Api;

/// <summary>Administration: system notices to everyone online.</summary>
internal static class AdminApi
{
    private const int MaxNotice = 1_000;

    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/admin/notices", async (NoticeRequest body, ClaimsPrincipal principal, AccountService accounts, IChatNotifier notifier, TimeProvider time, CancellationToken ct) =>
        {
            var user = await accounts.GetUserAsync(principal.UserId(), ct);
            if (!accounts.IsAdmin(user))
                throw ChatException.Forbidden("not_admin", "Only administrators can broadcast notices.");
            var text = (body.Text ?? "").Trim();
            if (text.Length is 0 or > MaxNotice)
                throw ChatException.Invalid("notice_invalid", "A notice is 1–1000 characters.");
            await notifier.ToEveryoneAsync(new NoticeEvent(text, user.Id, time.GetUtcNow().ToUnixTimeMilliseconds()), ct);
            return TypedResults.Accepted((string?)null);
        }).RequireAuthorization();
    }
}
