using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Parley.Bench.Bayeux;
using Parley.Bench.Cli;
using Parley.Bench.Metrics;
using Parley.Bench.Net;
using Parley.Bench.Reporting;

namespace Parley.Bench.Scenarios;

/// <summary>
/// Parley IM end to end: users registered over REST and befriended in pairs, each with a Bayeux
/// session authenticated by its token, send one-to-one messages with <c>/service/im/send</c>
/// (persisted before the call answers) at the offered total rate. Receivers get the message event
/// on <c>/user/{id}</c> (latency from the send time in the body); at the end every user syncs its
/// conversation from seq 0 and checks seqs 1..N complete, no duplicates, every sent message there.
/// </summary>
internal sealed class ChatScenario : IScenarioRunner, IDeliverySink
{
    private readonly ServerUrls _urls;
    private readonly int _users, _messageSize, _concurrency;
    private readonly double _rate, _duration, _drain;
    private long _persistedBeforeWindow, _sentBeforeWindow;
    private readonly string _transport, _prefix;
    private readonly LocalEndpoints _endpoints;
    private readonly RestClient _rest;
    private readonly ClientStats _stats = new();
    private readonly Latency _latency = new(), _sendLatency = new(), _setupLatency = new();
    private readonly List<BayeuxClient> _clients = [];
    private User[] _all = [];
    private long _realtime, _duplicates, _echoes, _otherEvents, _lastDelivery, _sent, _persisted;
    private int _opened;
    private double _setupSeconds;
    private volatile bool _closed;

    private sealed class User(int index, string name)
    {
        public readonly int Index = index;
        public readonly string Name = name;
        public string Id = "";
        public string Token = "";
        public User? Peer;
        public string? Conv;
        public long Counter;
        public readonly SeenSet Realtime = new();
        public readonly List<string> SentIds = [];
        public readonly Lock Gate = new();
    }

    public ChatScenario(Args args, Part part)
    {
        if (part.Count > 1)
            throw new ArgumentException("chat runs in one generator process (drop --processes)");
        // Several URLs: user i's Bayeux session is on URL i mod n (the two users of a pair on two
        // nodes); REST goes to the first URL's origin (the data is shared).
        _urls = ServerUrls.Parse(args.Str("url", ServerUrls.Default));
        _transport = args.Str("transport", "websocket");
        _users = Math.Max(2, args.Int("users", 200) / 2 * 2);
        _rate = args.Double("rate", 1000);
        _duration = args.Double("duration", 30);
        _drain = args.Double("drain", 10);
        _messageSize = args.Int("message-size", 64);
        _concurrency = args.Int("setup-concurrency", 32);
        _endpoints = new LocalEndpoints(args.Int("local-addrs", 1));
        _rest = new RestClient(_endpoints, RestClient.OriginOf(_urls.First));
        _prefix = "b" + Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6];
    }

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        _all = [.. Enumerable.Range(0, _users).Select(i => new User(i, $"{_prefix}u{i}"))];
        var options = new ParallelOptions { MaxDegreeOfParallelism = _concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(_all, options, async (u, ct) => (u.Id, u.Token) = await _rest.RegisterAsync(u.Name, u.Index, ct));
        await Parallel.ForEachAsync(Enumerable.Range(0, _users / 2), options, async (pair, ct) =>
        {
            User a = _all[2 * pair], b = _all[2 * pair + 1];
            a.Peer = b;
            b.Peer = a;
            var req = await _rest.SendAsync(HttpMethod.Post, "/api/friends/requests", new { to = b.Id }, a.Token, a.Index, ct);
            if (req.Status != HttpStatusCode.Created || req.Body is not { } body)
                throw new BenchSetupException($"friend request: HTTP {(int)req.Status} {RestClient.Short(req.Text)}");
            var id = body.GetProperty("id").GetString();
            var accept = await _rest.SendAsync(HttpMethod.Post, $"/api/friends/requests/{id}/accept", null, b.Token, b.Index, ct);
            if (!accept.Status.Equals(HttpStatusCode.NoContent) && accept.Status != HttpStatusCode.OK)
                throw new BenchSetupException($"accept: HTTP {(int)accept.Status} {RestClient.Short(accept.Text)}");
        });
        foreach (var u in _all)
        {
            var c = BayeuxClient.Create(_transport, u.Index, _urls.For(u.Index), _endpoints, _stats, this);
            c.State = u;
            _clients.Add(c);
        }
        (_opened, _) = await SessionSetup.OpenAllAsync(
            _clients, c => "{\"auth\":{\"token\":" + JsonSerializer.Serialize(((User)c.State!).Token) + "}}", c => ["/user/" + ((User)c.State!).Id],
            _concurrency, 0, _setupLatency, _stats, cancellationToken);
        _setupSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>
    /// Messages like the window's, before it. They are persisted and checked like the others;
    /// only the latency histograms and the rate leave them out.
    /// </summary>
    public async Task WarmUpAsync(double seconds, CancellationToken cancellationToken)
    {
        if (seconds <= 0)
            return;
        await SendForAsync(seconds, new OpenLoop(), cancellationToken);
        await DrainAsync(cancellationToken);
        _latency.Histogram.Reset();
        _sendLatency.Histogram.Reset();
        _persistedBeforeWindow = Interlocked.Read(ref _persisted);
        _sentBeforeWindow = Interlocked.Read(ref _sent);
    }

    /// <summary>Sends at the offered rate for <paramref name="seconds"/> and waits for the answers; returns the sending time.</summary>
    private async Task<double> SendForAsync(double seconds, OpenLoop load, CancellationToken cancellationToken)
    {
        var senders = _clients.Where(c => c.Alive).ToArray();
        var padding = new string('x', Math.Max(0, _messageSize - 20));
        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref _lastDelivery, start);
        if (senders.Length > 0)
            await load.RunAsync(seconds, _rate, n => SendOneAsync(senders[n % senders.Length], padding, cancellationToken), cancellationToken);
        var sendingSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        await load.AllDoneAsync().WaitAsync(TimeSpan.FromSeconds(_drain + 30), cancellationToken);
        return sendingSeconds;
    }

    /// <summary>Until every persisted message was delivered live, nothing came for 3 s, or the drain time passed.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var drainStart = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(drainStart).TotalSeconds < _drain
            && Interlocked.Read(ref _realtime) < Interlocked.Read(ref _persisted)
            && Latency.MicrosSince(Volatile.Read(ref _lastDelivery)) < 3_000_000)
            await Task.Delay(20, cancellationToken);
    }

    public async Task<ProcessReport> RunAsync(CancellationToken cancellationToken)
    {
        var window = new ResourceWindow([]);
        await using var probe = new SchedulingProbe();
        window.Start();
        var start = Stopwatch.GetTimestamp();
        var load = new OpenLoop();
        var windowSeconds = await SendForAsync(_duration, load, cancellationToken);
        await DrainAsync(cancellationToken);
        _closed = true;
        var deliverySeconds = (Volatile.Read(ref _lastDelivery) - start) / (double)Stopwatch.Frequency;
        await window.StopAsync();

        var (syncLost, syncDup, syncGaps, syncMissingIds) = await VerifyBySyncAsync(cancellationToken);
        var report = new ProcessReport
        {
            SessionsRequested = _clients.Count,
            SessionsOpened = _opened,
            SessionsByUrl = SessionSetup.OpenedByUrl(_clients, _urls),
            SetupSeconds = _setupSeconds,
            WindowSeconds = windowSeconds,
            DeliverySeconds = Math.Max(windowSeconds, deliverySeconds),
            Published = Interlocked.Read(ref _sent) - _sentBeforeWindow, // the window's sends; the checks below cover the warm-up's too
            OfferedRate = _rate,
            ExpectedDeliveries = Interlocked.Read(ref _persisted),
            Deliveries = Interlocked.Read(ref _realtime),
            Duplicates = Interlocked.Read(ref _duplicates),
            PublishErrors = Interlocked.Read(ref _sent) - Interlocked.Read(ref _persisted),
            GeneratorCpuSeconds = window.GeneratorCpuSeconds,
            GeneratorCores = window.GeneratorCores,
            MachineBusy = window.MachineBusy,
            Errors = new Dictionary<string, long>(_stats.Errors),
            Latency = _latency.Export(),
            SecondaryLatency = _sendLatency.Export(),
            SetupLatency = _setupLatency.Export(),
            TimerLateness = probe.TimerLateness.Export(),
            QueueDelay = probe.QueueDelay.Export(),
        };
        var persisted = Interlocked.Read(ref _persisted) - _persistedBeforeWindow;
        report.Counts["persistedMessages"] = persisted;
        report.Counts["persistedPerSecond"] = Math.Round(persisted / windowSeconds, 1);
        report.Counts["warmUpMessages"] = _persistedBeforeWindow;
        report.Counts["maxSendsInFlight"] = load.MostRunning;
        report.Counts["ownEchoesIgnored"] = Interlocked.Read(ref _echoes);
        report.Counts["otherEvents"] = Interlocked.Read(ref _otherEvents);
        report.Counts["syncLost"] = syncLost;
        report.Counts["syncDuplicates"] = syncDup;
        report.Counts["syncSeqGaps"] = syncGaps;
        report.Counts["syncMissingClientMsgIds"] = syncMissingIds;
        if (syncLost + syncDup + syncGaps + syncMissingIds > 0)
            report.Errors["sync: history incomplete or duplicated (see syncLost/syncDuplicates/syncSeqGaps/syncMissingClientMsgIds)"] = syncLost + syncDup + syncGaps + syncMissingIds;
        report.Notes.Add("the server should run with --Im:PasswordMemoryKiB=1024 --Im:PasswordIterations=1 (cheap password hashing, so registering users is fast) and --Bayeux:PublishRatePerSecond=0");
        report.Notes.Add($"{_users} users in {_users / 2} friend pairs; latency = send time in the body to the peer's /user/ event; loss checked live and by /service/im/sync from seq 0");
        return report;
    }

    private async Task SendOneAsync(BayeuxClient client, string padding, CancellationToken cancellationToken)
    {
        var u = (User)client.State!;
        var peer = u.Peer!;
        var k = Interlocked.Increment(ref u.Counter);
        var clientMsgId = $"{u.Name}-{k}";
        var t0 = Stopwatch.GetTimestamp();
        var body = t0.ToString(CultureInfo.InvariantCulture) + " " + padding;
        var data = JsonSerializer.Serialize(new { to = peer.Id, body, clientMsgId });
        Interlocked.Increment(ref _sent);
        Reply reply;
        try
        {
            reply = await client.CallAsync("/service/im/send", data, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
        {
            _stats.Error("send", ex.Message);
            return;
        }
        _sendLatency.RecordSince(t0);
        if (!reply.Successful || reply.Data is null)
        {
            _stats.Error("send", reply.Error ?? "no result");
            return;
        }
        using var doc = JsonDocument.Parse(reply.Data);
        var root = doc.RootElement;
        if (!root.TryGetProperty("ok", out var ok) || !ok.GetBoolean())
        {
            var code = root.TryGetProperty("error", out var e) && e.TryGetProperty("code", out var c) ? c.GetString() : "unknown";
            _stats.Error("send", "ok:false " + code);
            return;
        }
        var conv = root.GetProperty("conv").GetString()!;
        lock (u.Gate)
        {
            u.Conv ??= conv;
            u.SentIds.Add(clientMsgId);
        }
        Interlocked.Increment(ref _persisted);
    }

    public void OnDelivery(BayeuxClient client, ref WireMessage message)
    {
        if (_closed)
            return;
        var now = Stopwatch.GetTimestamp();
        var u = (User)client.State!;
        using var doc = JsonDocument.Parse(message.Data.ToArray());
        var e = doc.RootElement;
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("type", out var type) || type.GetString() != "message")
        {
            Interlocked.Increment(ref _otherEvents);
            return;
        }
        if (e.GetProperty("from").GetString() == u.Id)
        {
            Interlocked.Increment(ref _echoes);
            return;
        }
        var body = e.GetProperty("body").GetString() ?? "";
        var space = body.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && long.TryParse(body.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var sentAt))
            _latency.RecordMicros((now - sentAt) * 1_000_000 / Stopwatch.Frequency);
        var seq = e.GetProperty("seq").GetInt64();
        lock (u.Gate)
        {
            u.Conv ??= e.GetProperty("conv").GetString();
            if (u.Realtime.Add(seq))
                Interlocked.Increment(ref _realtime);
            else
                Interlocked.Increment(ref _duplicates);
        }
        Volatile.Write(ref _lastDelivery, now);
    }

    /// <summary>Every user syncs its conversation from seq 0: seqs must be 1..N with N the messages persisted in it, each sent message present once.</summary>
    private async Task<(long Lost, long Duplicates, long Gaps, long MissingIds)> VerifyBySyncAsync(CancellationToken cancellationToken)
    {
        long missing = 0;
        var perConv = new System.Collections.Concurrent.ConcurrentDictionary<string, (long Lost, long Dups, long Gaps)>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(_clients.Where(c => c.Alive), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (client, ct) =>
        {
            var u = (User)client.State!;
            var conv = u.Conv ?? u.Peer!.Conv;
            if (conv is null)
                return;
            var seqs = new HashSet<long>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            long cursor = 0, duplicated = 0;
            for (var page = 0; page < 10_000; page++)
            {
                var data = JsonSerializer.Serialize(new { cursors = new Dictionary<string, long> { [conv] = cursor } });
                var reply = await client.CallAsync("/service/im/sync", data, ct);
                if (!reply.Successful || reply.Data is null)
                {
                    _stats.Error("sync", reply.Error ?? "no result");
                    return;
                }
                using var doc = JsonDocument.Parse(reply.Data);
                var root = doc.RootElement;
                if (!root.GetProperty("ok").GetBoolean())
                {
                    _stats.Error("sync", root.GetRawText());
                    return;
                }
                foreach (var m in root.GetProperty("messages").EnumerateArray())
                {
                    if (m.GetProperty("conv").GetString() != conv)
                        continue;
                    var seq = m.GetProperty("seq").GetInt64();
                    if (!seqs.Add(seq))
                        duplicated++;
                    cursor = Math.Max(cursor, seq);
                    if (m.TryGetProperty("clientMsgId", out var cid) && cid.GetString() is { } s)
                        ids.Add(s);
                }
                if (!root.TryGetProperty("more", out var more) || !more.GetBoolean())
                    break;
            }
            int expected;
            lock (u.Gate)
                expected = u.SentIds.Count;
            lock (u.Peer!.Gate)
                expected += u.Peer.SentIds.Count;
            var max = seqs.Count == 0 ? 0 : seqs.Max();
            // Both users of a pair check the conversation; it counts once (the worse view).
            var found = (Lost: Math.Max(0, expected - seqs.Count), Dups: duplicated, Gaps: max - seqs.Count);
            perConv.AddOrUpdate(conv, found, (_, old) => (Math.Max(old.Lost, found.Lost), Math.Max(old.Dups, found.Dups), Math.Max(old.Gaps, found.Gaps)));
            long missingHere = 0;
            lock (u.Gate)
                missingHere += u.SentIds.Count(id => !ids.Contains(id));
            Interlocked.Add(ref missing, missingHere);
        });
        return (perConv.Values.Sum(v => v.Lost), perConv.Values.Sum(v => v.Dups), perConv.Values.Sum(v => v.Gaps), missing);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Parallel.ForEachAsync(_clients, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cts.Token }, async (c, ct) =>
        {
            await c.DisconnectAsync(ct);
            await c.DisposeAsync();
        }).ContinueWith(static _ => { }, TaskScheduler.Default);
        _endpoints.Dispose();
    }
}
