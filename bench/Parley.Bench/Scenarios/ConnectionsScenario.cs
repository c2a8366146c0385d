using System.Globalization;
using Parley.Bench.Bayeux;
using Parley.Bench.Cli;
using Parley.Bench.Metrics;
using Parley.Bench.Net;
using Parley.Bench.Reporting;

namespace Parley.Bench.Scenarios;

/// <summary>
/// Ramps idle sessions to <c>--target</c>: each opens its socket, handshakes, subscribes to one
/// of <c>--rooms</c> channels and keeps a connect held, as an idle browser tab does. The setup is
/// what is measured (handshake rate, errors, server memory per session); the hold then checks
/// that every session stays alive.
/// </summary>
internal sealed class ConnectionsScenario : IScenarioRunner
{
    private readonly int _target, _rooms, _concurrency;
    private readonly double _hold, _rampRate;
    private readonly Part _part;
    private readonly ServerUrls _urls;
    private readonly LocalEndpoints _endpoints;
    private readonly ClientStats _stats = new();
    private readonly Latency _setupLatency = new();
    private readonly List<BayeuxClient> _clients = [];
    private int _opened;
    private double _setupSeconds;

    public ConnectionsScenario(Args args, Part part)
    {
        _urls = ServerUrls.Parse(args.Str("url", ServerUrls.Default));
        var transport = args.Str("transport", "websocket");
        _target = args.Int("target", 1000);
        _rooms = Math.Max(1, args.Int("rooms", 10));
        _hold = args.Double("hold", args.Double("duration", 10));
        _rampRate = args.Double("ramp-rate", 0) / part.Count;
        _concurrency = args.Int("setup-concurrency", 100);
        _endpoints = new LocalEndpoints(args.Int("local-addrs", 1));
        _part = part;
        var (from, to) = part.Range(_target);
        for (var g = from; g < to; g++)
            _clients.Add(BayeuxClient.Create(transport, g, _urls.For(g), _endpoints, _stats, null));
    }

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        (_opened, _setupSeconds) = await SessionSetup.OpenAllAsync(
            _clients, _ => null, c => ["/bench/idle/" + (c.Index % _rooms).ToString(CultureInfo.InvariantCulture)],
            _concurrency, _rampRate, _setupLatency, _stats, cancellationToken);
    }

    /// <summary>Idle sessions have nothing to warm up.</summary>
    public Task WarmUpAsync(double seconds, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<ProcessReport> RunAsync(CancellationToken cancellationToken)
    {
        var window = new ResourceWindow([]);
        await using var probe = new SchedulingProbe();
        window.Start();
        var aliveBefore = _clients.Count(c => c.Alive);
        await Task.Delay(TimeSpan.FromSeconds(_hold), cancellationToken);
        var aliveAfter = _clients.Count(c => c.Alive);
        await window.StopAsync();
        var report = new ProcessReport
        {
            Process = _part.Index,
            SessionsRequested = _clients.Count,
            SessionsOpened = _opened,
            SessionsByUrl = SessionSetup.OpenedByUrl(_clients, _urls),
            SetupSeconds = _setupSeconds,
            WindowSeconds = window.Seconds,
            ConnectCycles = Interlocked.Read(ref _stats.ConnectCycles),
            GeneratorCpuSeconds = window.GeneratorCpuSeconds,
            GeneratorCores = window.GeneratorCores,
            MachineBusy = window.MachineBusy,
            Errors = new Dictionary<string, long>(_stats.Errors),
            SetupLatency = _setupLatency.Export(),
            TimerLateness = probe.TimerLateness.Export(),
            QueueDelay = probe.QueueDelay.Export(),
        };
        report.Counts["aliveAfterSetup"] = aliveBefore;
        report.Counts["aliveAfterHold"] = aliveAfter;
        if (aliveAfter < aliveBefore)
            report.Errors["hold: sessions that died while idle"] = aliveBefore - aliveAfter;
        return report;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Parallel.ForEachAsync(_clients, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cts.Token }, async (c, ct) =>
        {
            await c.DisconnectAsync(ct);
            await c.DisposeAsync();
        }).ContinueWith(static _ => { }, TaskScheduler.Default);
        _endpoints.Dispose();
    }
}
