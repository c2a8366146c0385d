using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Parley.Bench.Net;

/// <summary>Parley's REST API as the chat and presence scenarios need it: JSON in, JSON out, Bearer tokens.</summary>
internal sealed class RestClient(LocalEndpoints endpoints, Uri origin)
{
    public sealed record Response(HttpStatusCode Status, JsonElement? Body, string Text);

    public static Uri OriginOf(Uri bayeuxUrl) => new(bayeuxUrl.GetLeftPart(UriPartial.Authority));

    public async Task<Response> SendAsync(HttpMethod method, string path, object? body, string? token, int lane, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(origin, path)) { Version = HttpVersion.Version11 };
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await endpoints.Http(lane).SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement? json = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true)
        {
            try
            {
                json = JsonDocument.Parse(text).RootElement;
            }
            catch (JsonException)
            {
            }
        }
        return new Response(response.StatusCode, json, text);
    }

    /// <summary>Registers a user (the server should run with cheap password hashing for this); returns (userId, token).</summary>
    public async Task<(string UserId, string Token)> RegisterAsync(string username, int lane, CancellationToken cancellationToken)
    {
        var r = await SendAsync(HttpMethod.Post, "/api/auth/register", new { username, password = "bench-password-1", displayName = username }, null, lane, cancellationToken);
        if (r.Status != HttpStatusCode.Created || r.Body is not { } b)
            throw new BenchSetupException($"register {username}: HTTP {(int)r.Status} {Short(r.Text)}");
        return (b.GetProperty("userId").GetString()!, b.GetProperty("token").GetString()!);
    }

    public static string Short(string text) => text.Length > 200 ? text[..200] : text;
}

/// <summary>The scenario could not be set up (the server refused a REST call it needs).</summary>
internal sealed class BenchSetupException(string message) : Exception(message);
