using System.Net;
using System.Text;

namespace Parley.Testing;

/// <summary>
/// <c>eventsource</c>, as Faye's browser transport: messages go up by POST, and after the
/// handshake deliveries come down <c>GET /cometd/{clientId}</c> read as <c>text/event-stream</c>.
/// </summary>
public sealed class EventSourceClient(Uri endpoint, CookieContainer? cookies = null) : LongPollingClient(endpoint, cookies)
{
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _streamEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HttpResponseMessage? _stream;
    private Task? _reader;

    public override string ConnectionType => "eventsource";

    public override bool DeliversByPush => true;

    /// <summary>Status of the stream's GET, once opened.</summary>
    public int? StreamStatus { get; private set; }

    public string? StreamContentType { get; private set; }

    /// <summary>Completes when the server ends the stream.</summary>
    public Task StreamEnded => _streamEnded.Task;

    protected override Task OnHandshakenAsync(CancellationToken cancellationToken) => OpenStreamAsync(ClientId!, cancellationToken);

    /// <summary>Opens the event stream of <paramref name="clientId"/> and returns once the response headers arrived.</summary>
    public async Task OpenStreamAsync(string clientId, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Endpoint + "/" + clientId));
        request.Headers.Accept.ParseAdd("text/event-stream");
        AddOrigin(request);
        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        StreamStatus = (int)response.StatusCode;
        StreamContentType = response.Content.Headers.ContentType?.MediaType;
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            _streamEnded.TrySetResult();
            return;
        }
        _stream = response;
        _reader = ReadStreamAsync(response, _closing.Token);
    }

    private async Task ReadStreamAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var reader = new StreamReader(body, Encoding.UTF8);
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        var payload = data.ToString();
                        data.Clear();
                        OnPayload(payload);
                        foreach (var message in Json.ParseMessages(payload))
                            OnDelivery(message);
                    }
                    continue;
                }
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    if (data.Length > 0)
                        data.Append('\n');
                    var value = line.AsSpan(5);
                    data.Append(value.StartsWith(" ") ? value[1..] : value);
                }
                // ":" comment lines are keep-alives; other fields are not used by Bayeux.
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or HttpRequestException)
        {
        }
        finally
        {
            _streamEnded.TrySetResult();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _stream?.Dispose();
        if (_reader is not null)
            await _reader;
        _closing.Dispose();
        await base.DisposeAsync();
    }
}
