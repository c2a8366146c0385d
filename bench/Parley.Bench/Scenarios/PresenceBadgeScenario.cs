using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Parley.Bench.Cli;
using Parley.Bench.Metrics;
using Parley.Bench.Net;
using Parley.Bench.Reporting;

namespace Parley.Bench.Scenarios;

/// <summary>
/// HTTP load on the public presence endpoints: <c>GET /api/presence?users=a,b,c</c> and
/// <c>GET /api/presence/{user}.svg</c>, alternately, for users who opted in with
/// <c>PATCH /api/me {publicPresence:true}</c>. Closed loop with <c>--concurrency</c> workers, or
/// open loop at <c>--rate</c> requests/s. Every answer is checked (status, every user present).
/// </summary>
internal sealed class PresenceBadgeScenario : IScenarioRunner
{
    private readonly int _users, _batch, _concurrency, _registerConcurrency;
    private readonly double _duration, _rate;
    private readonly Part _part;
    private readonly LocalEndpoints _endpoints;
    private readonly RestClient _rest;
    private readonly string _prefix;
    private readonly Latency _latency = new(), _setupLatency = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private string[] _names = [], _badgePaths = [], _batchPaths = [];
    private byte[][] _nameKeys = [];
    private readonly RawHttpConnection?[] _connections;
    private readonly Uri _origin;
    private double _setupSeconds;
    private long _batchRequests, _badgeRequests;

    public PresenceBadgeScenario(Args args, Part part)
    {
        var urls = ServerUrls.Parse(args.Str("url", ServerUrls.Default));
        if (urls.Count > 1)
            throw new ArgumentException("presence-badge takes one --url");
        var url = urls.First;
        _users = Math.Max(1, args.Int("users", 100));
        _batch = Math.Clamp(args.Int("batch", 5), 1, 100);
        _concurrency = Math.Max(1, args.Int("concurrency", 32) / part.Count);
        _rate = args.Double("rate", 0) / part.Count;
        _duration = args.Double("duration", 30);
        _registerConcurrency = args.Int("setup-concurrency", 32);
        _endpoints = new LocalEndpoints(args.Int("local-addrs", 1));
        _origin = RestClient.OriginOf(url);
        _rest = new RestClient(_endpoints, _origin);
        _connections = new RawHttpConnection?[Math.Max(1, _concurrency)];
        _part = part;
        // Children of one run share the users: the parent's id names them.
        _prefix = "p" + (args.StrOrNull("run-id") ?? Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6]);
    }

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        _names = [.. Enumerable.Range(0, _users).Select(i => $"{_prefix}u{i}")];
        // Built once: the request loop should cost the generator as little as it can.
        _nameKeys = [.. _names.Select(n => Encoding.UTF8.GetBytes($"\"{n}\":"))];
        _badgePaths = [.. _names.Select(n => $"/api/presence/{n}.svg")];
        _batchPaths = [.. Enumerable.Range(0, _users).Select(first =>
            "/api/presence?users=" + string.Join(',', Enumerable.Range(0, _batch).Select(k => _names[(first + k) % _users])))];
        if (_part.Index == 0)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, _users), new ParallelOptions { MaxDegreeOfParallelism = _registerConcurrency, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var t0 = Stopwatch.GetTimestamp();
                var (_, token) = await _rest.RegisterAsync(_names[i], i, ct);
                var r = await _rest.SendAsync(HttpMethod.Patch, "/api/me", new { publicPresence = true }, token, i, ct);
                if (r.Status != HttpStatusCode.OK)
                    throw new BenchSetupException($"PATCH /api/me: HTTP {(int)r.Status} {RestClient.Short(r.Text)}");
                _setupLatency.RecordSince(t0);
            });
        }
        _setupSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>The same requests, unmeasured: afterwards the counts and the histogram start again (errors stay).</summary>
    public async Task WarmUpAsync(double seconds, CancellationToken cancellationToken)
    {
        if (seconds <= 0)
            return;
        await LoadAsync(seconds, cancellationToken);
        Interlocked.Exchange(ref _batchRequests, 0);
        Interlocked.Exchange(ref _badgeRequests, 0);
        _latency.Histogram.Reset();
    }

    public async Task<ProcessReport> RunAsync(CancellationToken cancellationToken)
    {
        var window = new ResourceWindow([]);
        await using var probe = new SchedulingProbe();
        window.Start();
        var seconds = await LoadAsync(_duration, cancellationToken);
        await window.StopAsync();
        var total = Interlocked.Read(ref _batchRequests) + Interlocked.Read(ref _badgeRequests);
        var report = new ProcessReport
        {
            Process = _part.Index,
            SetupSeconds = _setupSeconds,
            WindowSeconds = seconds,
            DeliverySeconds = seconds,
            Published = total,
            OfferedRate = _rate,
            Deliveries = total - _errors.Values.Sum(),
            GeneratorCpuSeconds = window.GeneratorCpuSeconds,
            GeneratorCores = window.GeneratorCores,
            MachineBusy = window.MachineBusy,
            Errors = new Dictionary<string, long>(_errors),
            Latency = _latency.Export(),
            SetupLatency = _part.Index == 0 ? _setupLatency.Export() : null,
            TimerLateness = probe.TimerLateness.Export(),
            QueueDelay = probe.QueueDelay.Export(),
        };
        report.Counts["requests"] = total;
        report.Counts["requestsPerSecond"] = Math.Round(total / seconds, 1);
        report.Counts["batchRequests"] = _batchRequests;
        report.Counts["badgeRequests"] = _badgeRequests;
        report.Notes.Add($"{_users} opted-in users; batch lookups of {_batch} names alternate with SVG badges; " + (_rate > 0 ? "open loop" : $"closed loop, {_concurrency * _part.Count} concurrent requests"));
        return report;
    }

    /// <summary>Runs the requests for <paramref name="duration"/> seconds; returns the seconds it took.</summary>
    private async Task<double> LoadAsync(double duration, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration * Stopwatch.Frequency);
        if (_rate > 0)
        {
            var load = new OpenLoop();
            await load.RunAsync(duration, _rate, i => OneOverHttpClientAsync(i, cancellationToken), cancellationToken);
            await load.AllDoneAsync();
        }
        else
        {
            await Task.WhenAll(Enumerable.Range(0, _concurrency).Select(w => Task.Run(async () =>
            {
                long i = w;
                while (Stopwatch.GetTimestamp() < end)
                {
                    await OneOnConnectionAsync(i, w, cancellationToken);
                    i += _concurrency;
                }
            }, cancellationToken)));
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>
    /// One request of the mix, timed and checked: even <paramref name="i"/> a batch lookup of
    /// <c>--batch</c> names, odd a badge. <paramref name="get"/> fetches a path (raw connection or HttpClient).
    /// </summary>
    private async Task OneAsync(long i, Func<string, Task<(int Status, ReadOnlyMemory<byte> Body)>> get)
    {
        var t0 = Stopwatch.GetTimestamp();
        var user = (int)(i / 2 % _users);
        if (i % 2 == 0)
        {
            var (status, body) = await get(_batchPaths[user]);
            _latency.RecordSince(t0);
            Interlocked.Increment(ref _batchRequests);
            if (status != 200)
                Error($"batch: HTTP {status}");
            else if (!NamesAll(user, body.Span))
                Error("batch: an opted-in user is missing from the answer");
        }
        else
        {
            var (status, body) = await get(_badgePaths[user]);
            _latency.RecordSince(t0);
            Interlocked.Increment(ref _badgeRequests);
            if (status != 200)
                Error($"badge: HTTP {status}");
            else if (!body.Span.StartsWith("<svg"u8) || body.Span.IndexOf("unknown"u8) >= 0)
                Error("badge: not the SVG of an opted-in user");
        }
    }

    /// <summary>True when the batch answer names each user the request starting at <paramref name="first"/> asked for.</summary>
    private bool NamesAll(int first, ReadOnlySpan<byte> body)
    {
        for (var k = 0; k < _batch; k++)
        {
            if (body.IndexOf(_nameKeys[(first + k) % _users]) < 0)
                return false;
        }
        return true;
    }

    /// <summary>The open loop: any number in flight, so through HttpClient's pool.</summary>
    private async Task OneOverHttpClientAsync(long i, CancellationToken cancellationToken)
    {
        try
        {
            await OneAsync(i, async path =>
            {
                var r = await _rest.SendAsync(HttpMethod.Get, path, null, null, (int)(i % 64), cancellationToken);
                return ((int)r.Status, Encoding.UTF8.GetBytes(r.Text));
            });
        }
        catch (HttpRequestException ex)
        {
            Error("http: " + ex.Message);
        }
    }

    /// <summary>
    /// The closed loop: worker <paramref name="worker"/> keeps one raw keep-alive connection (a
    /// badge is fetched like that by a page or an image proxy), which costs the generator far
    /// less than HttpClient.
    /// </summary>
    private async Task OneOnConnectionAsync(long i, int worker, CancellationToken cancellationToken)
    {
        try
        {
            var connection = _connections[worker] ??= await RawHttpConnection.OpenAsync(_endpoints, worker, _origin, cancellationToken);
            await OneAsync(i, path => connection.GetAsync(path, cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            Error("http: " + ex.Message);
            _connections[worker]?.Dispose();
            _connections[worker] = null;
        }
    }

    private void Error(string key) => _errors.AddOrUpdate(key, 1, static (_, n) => n + 1);

    public ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
            connection?.Dispose();
        _endpoints.Dispose();
        return ValueTask.CompletedTask;
    }
}
