using System.Net;

namespace Parley.Testing;

/// <summary><c>callback-polling</c> (JSONP): <c>GET /cometd?jsonp=CB&amp;message=…</c>, body <c>/**/CB([…]);</c>.</summary>
public sealed class CallbackPollingClient(Uri endpoint, CookieContainer? cookies = null) : HttpBayeuxClient(endpoint, cookies)
{
    private int _callbacks;

    public override string ConnectionType => "callback-polling";

    protected override async Task<BayeuxResponse> ExchangeAsync(string body, string? firstChannel, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var callback = $"__jsonp{Interlocked.Increment(ref _callbacks)}__";
        var uri = new Uri($"{Endpoint}?jsonp={callback}&message={Uri.EscapeDataString(body)}");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        AddOrigin(request);
        using var response = await Http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, ids, callback, cancellationToken);
    }
}
