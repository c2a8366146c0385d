using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Parley.Chat.Accounts;
using Parley.Chat.Presence;
using Parley.Chat.Storage;

namespace Parley.Server.Api;

/// <summary>
/// The public "online badge" (the classic candle man) for users who opted in: an SVG and a batch
/// JSON lookup. Answers come from memory (presence is in memory; who opted in is cached), so the
/// endpoints cost no database round trip on the hot path, and are cacheable for a few seconds.
/// </summary>
internal sealed class PresenceApi(IChatStore store, PresenceService presence, AccountService accounts, TimeProvider time)
{
    private const int MaxBatch = 100;
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, (string? UserId, bool Public, DateTimeOffset At)> _optIns = new(StringComparer.Ordinal);

    public void Map(IEndpointRouteBuilder app)
    {
        accounts.ProfileChanged += user => _optIns[user.Username] = (user.Id, user.PublicPresence, time.GetUtcNow());
        app.MapGet("/api/presence/{file}", BadgeAsync);
        app.MapGet("/api/presence", BatchAsync);
    }

    private async Task<IResult> BadgeAsync(string file, HttpContext http, CancellationToken ct)
    {
        if (!file.EndsWith(".svg", StringComparison.OrdinalIgnoreCase))
            return TypedResults.NotFound();
        var username = file[..^4].ToLowerInvariant();
        var status = await PublicStatusAsync(username, ct);
        http.Response.Headers.CacheControl = "public, max-age=10";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Text(Svg(status ?? "unknown"), "image/svg+xml; charset=utf-8");
    }

    private async Task<IResult> BatchAsync(string? users, HttpContext http, CancellationToken ct)
    {
        var names = (users ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length > MaxBatch)
            return ApiResults.Problem(400, "too_many_users", $"At most {MaxBatch} users per request.");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (await PublicStatusAsync(name.ToLowerInvariant(), ct) is { } status)
                result[name] = status;
        }
        http.Response.Headers.CacheControl = "public, max-age=10";
        return TypedResults.Ok(result);
    }

    // Null for users who do not exist or did not opt in: both look the same from outside.
    private async Task<string?> PublicStatusAsync(string username, CancellationToken ct)
    {
        if (username.Length is 0 or > 32)
            return null;
        var now = time.GetUtcNow();
        if (!_optIns.TryGetValue(username, out var entry) || now - entry.At > CacheFor)
        {
            var user = await store.Users.FindByUsernameAsync(username, ct);
            entry = (user?.Id, user?.PublicPresence == true, now);
            if (_optIns.Count > 200_000)
                _optIns.Clear();
            _optIns[username] = entry;
        }
        return entry is { Public: true, UserId: { } id } ? (await presence.VisibleStatusAsync(id, ct)).ToString().ToLowerInvariant() : null;
    }

    private static string Svg(string status)
    {
        var color = status switch
        {
            "online" => "#2da44e",
            "away" => "#d4a72c",
            "busy" => "#cf222e",
            _ => "#8c959f",
        };
        var label = WebUtility.HtmlEncode(status);
        var width = 58 + label.Length * 7;
        return string.Create(CultureInfo.InvariantCulture,
            $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="Parley: {label}"><rect width="{width}" height="20" rx="3" fill="#24292f"/><circle cx="12" cy="10" r="5" fill="{color}"/><text x="22" y="14" fill="#fff" font-family="Verdana,sans-serif" font-size="11">Parley {label}</text></svg>""");
    }
}
