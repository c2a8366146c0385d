using System.Net;
using System.Net.Http.Headers;
using Parley.Bench.Net;

namespace Parley.Bench.Bayeux;

/// <summary>
/// Bayeux over HTTP long-polling: the held connect on one request, everything else on others
/// (the handler's pool gives each its own connection, bound to this client's local address).
/// </summary>
internal sealed class LongPollingBayeuxClient : BayeuxClient
{
    private static readonly MediaTypeHeaderValue Json = new("application/json") { CharSet = "utf-8" };
    private readonly Uri _connectUrl;
    private readonly CancellationTokenSource _stop = new();
    private Task? _connecting;

    public LongPollingBayeuxClient(int index, Uri url, LocalEndpoints endpoints, ClientStats stats, IDeliverySink? sink)
        : base(index, url, endpoints, stats, sink)
    {
        _connectUrl = new Uri(url.AbsoluteUri.TrimEnd('/') + "/connect");
    }

    public override string ConnectionType => "long-polling";

    public override Task OpenAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task SendAsync(ReadOnlyMemory<byte> frame, bool connect, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, connect ? _connectUrl : Url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ReadOnlyMemoryContent(frame),
        };
        request.Content.Headers.ContentType = Json;
        try
        {
            using var response = await Endpoints.Http(Index).SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK && !(connect && response.StatusCode == HttpStatusCode.RequestTimeout))
                Stats.Error("http " + (connect ? "connect" : "request"), ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (body.Length > 0)
                Dispatch(body);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            if (!Stopping)
                Stats.Error("http", ex.Message);
            if (connect)
                Alive = false;
            FailPending(ex.Message);
        }
        catch (OperationCanceledException) when (Stopping)
        {
        }
    }

    protected override void RunConnectLoop() => _connecting = Task.Run(ConnectLoopAsync);

    private async Task ConnectLoopAsync()
    {
        while (Alive && !Stopping)
        {
            await SendAsync(ConnectFrame(), connect: true, _stop.Token);
            if (!LastConnectOk && Alive && !Stopping)
                await Task.Delay(500, _stop.Token).ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        Stopping = true;
        await _stop.CancelAsync();
        if (_connecting is not null)
            await _connecting.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
