using System.Net;
using System.Text;

namespace Parley.Testing;

/// <summary>
/// <c>long-polling</c>: POSTs JSON arrays, to <c>/cometd/handshake</c>, <c>/cometd/connect</c>,
/// <c>/cometd/disconnect</c> and <c>/cometd</c> for the rest, as the CometD client does.
/// </summary>
public class LongPollingClient(Uri endpoint, CookieContainer? cookies = null) : HttpBayeuxClient(endpoint, cookies)
{
    public override string ConnectionType => "long-polling";

    protected override async Task<BayeuxResponse> ExchangeAsync(string body, string? firstChannel, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var suffix = firstChannel switch
        {
            "/meta/handshake" => "/handshake",
            "/meta/connect" => "/connect",
            "/meta/disconnect" => "/disconnect",
            _ => "",
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint + suffix))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        AddOrigin(request);
        using var response = await Http.SendAsync(request, cancellationToken);
        return await ReadAsync(response, ids, jsonp: null, cancellationToken);
    }
}
