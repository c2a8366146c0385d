using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Parley.Testing;

/// <summary>
/// The HTTP side shared by the request/response transports: one <see cref="HttpClient"/> with
/// its own cookie jar (one browser), HTTP/1.1, several connections so a held connect and a
/// publish travel side by side as in a browser.
/// </summary>
public abstract class HttpBayeuxClient : BayeuxClient
{
    protected HttpBayeuxClient(Uri endpoint, CookieContainer? cookies) : base(endpoint)
    {
        Cookies = cookies ?? new CookieContainer();
        Http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    /// <summary>The browser's cookie jar (BAYEUX_BROWSER lives here).</summary>
    public CookieContainer Cookies { get; }

    /// <summary>For tests that need a request the client does not build (preflight, forms).</summary>
    public HttpClient Http { get; }

    protected void AddOrigin(HttpRequestMessage request)
    {
        if (Origin is not null)
            request.Headers.TryAddWithoutValidation("Origin", Origin);
    }

    /// <summary>Reads a response; <paramref name="jsonp"/> is the callback the body should be wrapped in.</summary>
    protected async Task<BayeuxResponse> ReadAsync(HttpResponseMessage response, IReadOnlyList<string> ids, string? jsonp, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var text = Encoding.UTF8.GetString(bytes);
        OnPayload(text);
        var messages = Json.ParseMessages(jsonp is null ? text : Unwrap(text, jsonp));
        Sort(messages, ids);
        return new BayeuxResponse((int)response.StatusCode, Headers(response), messages, text, ids);
    }

    public static Dictionary<string, string> Headers(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Add(response.Headers);
        Add(response.Content.Headers);
        return headers;

        void Add(HttpHeaders source)
        {
            foreach (var (name, values) in source)
                headers[name] = string.Join(", ", values);
        }
    }

    /// <summary>Strips <c>/**/cb(</c> … <c>);</c>; a body not wrapped in the callback is returned as is.</summary>
    public static string Unwrap(string text, string callback)
    {
        var prefix = "/**/" + callback + "(";
        var body = text.TrimEnd();
        return body.StartsWith(prefix, StringComparison.Ordinal) && body.EndsWith(");", StringComparison.Ordinal)
            ? body[prefix.Length..^2]
            : text;
    }

    public override ValueTask DisposeAsync()
    {
        Http.Dispose();
        return ValueTask.CompletedTask;
    }
}
