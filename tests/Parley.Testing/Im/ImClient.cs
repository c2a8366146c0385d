using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Parley.Testing.Im;

/// <summary>
/// One person using Parley as a third-party client would: REST for the account and people, a
/// Bayeux session (raw WebSocket or long-polling client) for events and <c>/service/im/*</c>
/// calls. A background loop keeps a connect outstanding, as real clients do; every delivery is
/// kept, and tests wait for the ones they expect with a deadline.
/// </summary>
public sealed class ImClient : IAsyncDisposable
{
    public const string DefaultPassword = "correct horse 1";
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly IParleyEndpoint _app;
    private readonly List<Delivery> _deliveries = [];
    private readonly List<JsonObject> _connectReplies = [];
    private readonly Lock _gate = new();
    private CancellationTokenSource? _loopStop;
    private Task? _loop;

    public ImClient(IParleyEndpoint app)
    {
        _app = app;
        Http = app.CreateHttpClient();
    }

    public HttpClient Http { get; }

    public string UserId { get; private set; } = "";

    public string Username { get; private set; } = "";

    public string Token { get; private set; } = "";

    /// <summary>The raw Bayeux client, once connected.</summary>
    public BayeuxClient? Bayeux { get; private set; }

    public string UserChannel => "/user/" + UserId;

    /// <summary>Replies to the background connects, in arrival order.</summary>
    public IReadOnlyList<JsonObject> ConnectReplies
    {
        get
        {
            lock (_gate)
                return [.. _connectReplies];
        }
    }

    /// <summary>Completes when the connect loop ended (reconnect none, a failed connect, or dispose).</summary>
    public Task ConnectLoop => _loop ?? Task.CompletedTask;

    // ---- REST ----

    public async Task RegisterAsync(string username, string password, string? displayName = null)
    {
        var body = new JsonObject { ["username"] = username, ["password"] = password };
        if (displayName is not null)
            body["displayName"] = displayName;
        var result = await PostAsync("/api/auth/register", body);
        result.Expect(HttpStatusCode.Created);
        SignedIn(result.Obj);
    }

    public async Task LoginAsync(string username, string password)
    {
        var result = await PostAsync("/api/auth/login", new JsonObject { ["username"] = username, ["password"] = password });
        result.Expect(HttpStatusCode.OK);
        SignedIn(result.Obj);
    }

    /// <summary>Signs in with an existing token (a client that kept it, e.g. across a server restart).</summary>
    public void UseToken(string userId, string username, string token) =>
        SignedIn(new JsonObject { ["userId"] = userId, ["username"] = username, ["token"] = token });

    private void SignedIn(JsonObject body)
    {
        UserId = body.Str("userId") ?? throw new InvalidOperationException("no userId: " + body.ToJsonString());
        Token = body.Str("token") ?? throw new InvalidOperationException("no token: " + body.ToJsonString());
        Username = body.Str("username") ?? Username;
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public Task<RestResult> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<RestResult> PostAsync(string path, JsonNode? body = null) => SendAsync(HttpMethod.Post, path, body);

    public Task<RestResult> PutAsync(string path, JsonNode? body = null) => SendAsync(HttpMethod.Put, path, body);

    public Task<RestResult> PatchAsync(string path, JsonNode? body) => SendAsync(HttpMethod.Patch, path, body);

    public Task<RestResult> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public Task<RestResult> SendAsync(HttpMethod method, string path, JsonNode? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body.ToJsonString(Json.Wire), Encoding.UTF8, "application/json");
        return SendAsync(request);
    }

    /// <summary>Sends a request as is (malformed bodies, multipart) and reads the answer whole.</summary>
    public async Task<RestResult> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await Http.SendAsync(request))
        {
            var bytes = await response.Content.ReadAsByteArrayAsync();
            return new RestResult(response.StatusCode, HttpBayeuxClient.Headers(response), bytes);
        }
    }

    /// <summary>Uploads <paramref name="content"/> as the multipart part "file".</summary>
    public Task<RestResult> UploadAsync(byte[] content, string fileName, string contentType = "application/octet-stream")
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        form.Add(part, "file", fileName);
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/files") { Content = form });
    }

    /// <summary>Uploads with a Content-Disposition written by hand (file names no well-behaved client would send).</summary>
    public Task<RestResult> UploadWithDispositionAsync(byte[] content, string contentDisposition, string contentType = "application/octet-stream")
    {
        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        part.Headers.TryAddWithoutValidation("Content-Disposition", contentDisposition);
        form.Add(part);
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/files") { Content = form });
    }

    /// <summary>Sends a friend request to <paramref name="other"/>, who accepts it.</summary>
    public async Task BefriendAsync(ImClient other)
    {
        var request = await PostAsync("/api/friends/requests", new JsonObject { ["to"] = other.UserId });
        request.Expect(HttpStatusCode.Created);
        (await other.PostAsync($"/api/friends/requests/{request.Str("id")}/accept")).Expect(HttpStatusCode.NoContent);
    }

    /// <summary>Creates a group and returns its id.</summary>
    public async Task<string> CreateGroupAsync(string name)
    {
        var created = await PostAsync("/api/groups", new JsonObject { ["name"] = name });
        created.Expect(HttpStatusCode.Created);
        return created.Str("id")!;
    }

    /// <summary>The caller's entry in <c>GET /api/conversations</c> for <paramref name="conv"/>, or null.</summary>
    public async Task<JsonObject?> ConversationAsync(string conv)
    {
        var list = (await GetAsync("/api/conversations")).Expect(HttpStatusCode.OK).Obj["conversations"]!.AsArray();
        return list.OfType<JsonObject>().FirstOrDefault(c => c.Str("conv") == conv);
    }

    /// <summary>A history page of <paramref name="conv"/>, oldest first.</summary>
    public async Task<List<JsonObject>> HistoryAsync(string conv)
    {
        var page = (await GetAsync($"/api/conversations/{conv}/messages")).Expect(HttpStatusCode.OK);
        return [.. page.Obj["messages"]!.AsArray().OfType<JsonObject>()];
    }

    // ---- Bayeux ----

    /// <summary>The browser's cookie jar when this client plays a tab of a browser (shared between tabs); null: a client of its own.</summary>
    public System.Net.CookieContainer? Browser { get; set; }

    public BayeuxClient CreateBayeuxClient(ImTransport transport) => transport switch
    {
        ImTransport.LongPolling => new LongPollingClient(_app.BayeuxEndpoint, Browser),
        _ => new WebSocketClient(_app.BayeuxEndpoint),
    };

    /// <summary>Handshakes with the token, makes the first connect, subscribes to <c>/user/{me}</c> and starts connecting in the background.</summary>
    public async Task ConnectAsync(ImTransport transport = ImTransport.WebSocket)
    {
        var bayeux = CreateBayeuxClient(transport);
        Bayeux = bayeux;
        bayeux.HandshakeExt = new JsonObject { ["auth"] = new JsonObject { ["token"] = Token } };
        await bayeux.HandshakeAsync();
        var first = await bayeux.ConnectAsync(timeout: 0);
        Assert.True(first.Reply.Bool("successful") == true, $"first connect failed: {first}");
        await SubscribeAsync(UserChannel);
        _loopStop = new CancellationTokenSource();
        _loop = ConnectLoopAsync(bayeux, _loopStop.Token);
    }

    /// <summary>Subscribes and fails the test unless the server granted it.</summary>
    public async Task SubscribeAsync(string channel)
    {
        var reply = await RequireBayeux().SubscribeAsync(channel);
        Assert.True(reply.Bool("successful") == true, $"subscribe to {channel} refused: {reply.ToJsonString()}");
    }

    private async Task ConnectLoopAsync(BayeuxClient bayeux, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await bayeux.ConnectAsync(cancellationToken: stop);
                if (response.RequestIds.Count == 0 || response.FindReply(response.RequestIds[0]) is not { } reply)
                    return; // the socket closed
                lock (_gate)
                    _connectReplies.Add(reply);
                if (reply.Bool("successful") != true || reply.Advice()?.Str("reconnect") is "none" or "handshake")
                    return;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException or IOException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Calls <c>/service/im/{service}</c> and returns the result's data: checks the remoteCall convention on the way.</summary>
    public async Task<JsonObject> CallAsync(string service, JsonNode? data)
    {
        var response = await RequireBayeux().PublishAsync("/service/im/" + service, data);
        var id = response.RequestIds[0];
        var reply = response.ReplyTo(id);
        Assert.True(reply.Bool("successful") == true, $"publish to /service/im/{service} refused: {response}");
        var result = Assert.Single(response.ResultsOf(id));
        Assert.Equal("/service/im/" + service, result.Str("channel"));
        Assert.True(result.Bool("successful") == true, $"the result message must say successful:true: {response}");
        return result.Obj("data") ?? throw new InvalidOperationException($"The result carries no object: {response}");
    }

    /// <summary>Calls a service and fails the test unless it answered <c>ok:true</c>.</summary>
    public async Task<JsonObject> CallOkAsync(string service, JsonNode? data)
    {
        var result = await CallAsync(service, data);
        Assert.True(result.Bool("ok") == true, $"/service/im/{service} failed: {result.ToJsonString(Json.Wire)}");
        return result;
    }

    /// <summary>Sends a direct message; returns the result (ok, conv, seq, id, ts).</summary>
    public Task<JsonObject> SendToAsync(ImClient to, string body, string? clientMsgId = null) =>
        CallOkAsync("send", new JsonObject { ["to"] = to.UserId, ["body"] = body, ["clientMsgId"] = clientMsgId ?? NewClientMsgId() });

    /// <summary>Sends a message to a group.</summary>
    public Task<JsonObject> SendToGroupAsync(string groupId, string body, string? clientMsgId = null) =>
        CallOkAsync("send", new JsonObject { ["group"] = groupId, ["body"] = body, ["clientMsgId"] = clientMsgId ?? NewClientMsgId() });

    /// <summary>Syncs from <paramref name="cursors"/> until <c>more</c> is false; returns every message, in order received.</summary>
    public async Task<List<JsonObject>> SyncAllAsync(Dictionary<string, long>? cursors = null)
    {
        var all = new List<JsonObject>();
        var current = new Dictionary<string, long>(cursors ?? [], StringComparer.Ordinal);
        for (var round = 0; round < 100; round++)
        {
            var data = new JsonObject();
            if (current.Count > 0)
                data["cursors"] = new JsonObject(current.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value)));
            var result = await CallOkAsync("sync", data);
            foreach (var message in result["messages"]!.AsArray().OfType<JsonObject>())
            {
                all.Add(message);
                current[message.Str("conv")!] = Math.Max(current.GetValueOrDefault(message.Str("conv")!), message.Long("seq")!.Value);
            }
            if (result.Bool("more") != true)
                return all;
        }
        throw new InvalidOperationException("sync kept answering more:true");
    }

    public static string NewClientMsgId() => "c" + Guid.NewGuid().ToString("N");

    /// <summary>Ends the Bayeux session with <c>/meta/disconnect</c>.</summary>
    public async Task DisconnectAsync()
    {
        var bayeux = RequireBayeux();
        await StopLoopAsync();
        var reply = await bayeux.DisconnectAsync();
        Assert.True(reply.Bool("successful") == true, $"disconnect failed: {reply.ToJsonString()}");
    }

    private async Task StopLoopAsync()
    {
        if (_loopStop is null)
            return;
        await _loopStop.CancelAsync();
        if (_loop is not null)
            await _loop;
    }

    private BayeuxClient RequireBayeux() => Bayeux ?? throw new InvalidOperationException("Connect first.");

    // ---- events ----

    /// <summary>Every delivery received so far, in arrival order.</summary>
    public IReadOnlyList<Delivery> Deliveries
    {
        get
        {
            Drain();
            lock (_gate)
                return [.. _deliveries];
        }
    }

    /// <summary>Deliveries of <paramref name="type"/> received so far that match <paramref name="where"/>.</summary>
    public List<Delivery> Events(string type, Func<Delivery, bool>? where = null) =>
        [.. Deliveries.Where(d => d.Type == type && (where is null || where(d)))];

    /// <summary>Waits until a delivery of <paramref name="type"/> matching <paramref name="where"/> has arrived and returns the first such.</summary>
    public async Task<Delivery> WaitForAsync(string type, Func<Delivery, bool>? where = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultWait;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var found = Events(type, where);
            if (found.Count > 0)
                return found[0];
            if (Stopwatch.GetElapsedTime(started) > limit)
                throw new TimeoutException($"{Username} got no '{type}' event as expected within {limit.TotalSeconds:0.#} s; received: {string.Join(" | ", Deliveries)}");
            await Task.Delay(15);
        }
    }

    /// <summary>Waits for the message event with <paramref name="clientMsgId"/>.</summary>
    public Task<Delivery> WaitForMessageAsync(string clientMsgId) => WaitForAsync("message", d => d.Str("clientMsgId") == clientMsgId);

    /// <summary>
    /// Makes sure everything the server pushed to this session before now has arrived: creates a
    /// group (the server tells its owner on <c>/user/{me}</c>) and waits for that event, which is
    /// queued behind every earlier delivery. Lets a test assert that something did NOT arrive
    /// without sleeping.
    /// </summary>
    public async Task BarrierAsync()
    {
        var id = await CreateGroupAsync("barrier");
        await WaitForAsync("group-added", d => d.Str("group") == id);
    }

    private void Drain()
    {
        if (Bayeux is not { } bayeux)
            return;
        lock (_gate)
        {
            while (bayeux.TryTakeDelivery(out var message))
            {
                if (message.Obj("data") is { } data)
                    _deliveries.Add(new Delivery(message.Str("channel") ?? "", data));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopLoopAsync();
        }
        finally
        {
            if (Bayeux is not null)
                await Bayeux.DisposeAsync();
            _loopStop?.Dispose();
            Http.Dispose();
        }
    }
}
