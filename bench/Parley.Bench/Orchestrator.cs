using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Parley.Bench.Cli;
using Parley.Bench.Metrics;
using Parley.Bench.Reporting;
using Parley.Bench.Scenarios;

namespace Parley.Bench;

/// <summary>
/// Runs one scenario once, in this process or in <c>--processes P</c> child generator processes
/// (each under the 20,000-descriptor cap), samples the server around setup and the measured
/// window, and merges everything into one <see cref="BenchResult"/>.
/// </summary>
internal static class Orchestrator
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<BenchResult> RunAsync(Args args, CancellationToken cancellationToken)
    {
        var processes = Math.Max(1, args.Int("processes", 1));
        int? serverPid = args.Has("server-pid") ? args.Int("server-pid", 0) : null;
        var started = DateTimeOffset.UtcNow;
        var rssBefore = serverPid is { } p0 ? ProcSampler.RssBytes(p0) : -1;
        var window = new ResourceWindow(serverPid);
        long rssAfterSetup;
        List<ProcessReport> reports;
        if (processes == 1)
        {
            await using var runner = Scenario.Create(args, Part.Whole);
            await runner.SetupAsync(cancellationToken);
            rssAfterSetup = await SettledRssAsync(serverPid, args, cancellationToken);
            window.Start();
            var report = await runner.RunAsync(cancellationToken);
            await window.StopAsync();
            reports = [report];
        }
        else
        {
            var children = new List<ChildProcess>();
            try
            {
                var shared = args.Reparse(new Dictionary<string, string?> { ["run-id"] = args.StrOrNull("run-id") ?? Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6] });
                for (var i = 0; i < processes; i++)
                    children.Add(ChildProcess.Start(shared, i, processes));
                await Task.WhenAll(children.Select(c => c.WaitReadyAsync(cancellationToken)));
                rssAfterSetup = await SettledRssAsync(serverPid, args, cancellationToken);
                window.Start();
                foreach (var c in children)
                    await c.GoAsync();
                reports = [.. await Task.WhenAll(children.Select(c => c.WaitReportAsync(cancellationToken)))];
                await window.StopAsync();
            }
            finally
            {
                foreach (var c in children)
                    c.Dispose();
            }
        }
        return Merge(args, reports, processes, started, serverPid, rssBefore, rssAfterSetup, window);
    }

    /// <summary>The server's RSS once the sessions are open; for the connections scenario after the runtime settled a little.</summary>
    private static async Task<long> SettledRssAsync(int? serverPid, Args args, CancellationToken cancellationToken)
    {
        if (serverPid is not { } pid)
            return -1;
        var settle = args.Double("settle", args.Scenario == "connections" ? 3 : 0);
        if (settle > 0)
            await Task.Delay(TimeSpan.FromSeconds(settle), cancellationToken);
        return ProcSampler.RssBytes(pid);
    }

    private static BenchResult Merge(Args args, List<ProcessReport> reports, int processes, DateTimeOffset started, int? serverPid, long rssBefore, long rssAfterSetup, ResourceWindow window)
    {
        var latency = new Latency();
        var secondary = new Latency();
        var setup = new Latency();
        var lateness = new Latency();
        var queue = new Latency();
        var r = new BenchResult
        {
            Scenario = args.Scenario,
            Transport = args.Str("transport", "websocket"),
            Url = args.Str("url", "http://127.0.0.1:5080/cometd"),
            StartedAt = started,
            Processes = processes,
        };
        foreach (var a in args.With(new Dictionary<string, string?>()).Skip(1).Chunk(2))
            if (a.Length == 2)
                r.Parameters[a[0].TrimStart('-')] = a[1];
        foreach (var p in reports)
        {
            r.SessionsRequested += p.SessionsRequested;
            r.SessionsOpened += p.SessionsOpened;
            r.SetupSeconds = Math.Max(r.SetupSeconds, p.SetupSeconds);
            r.WindowSeconds = Math.Max(r.WindowSeconds, p.WindowSeconds);
            r.Published += p.Published;
            r.OfferedRate += p.OfferedRate;
            r.ExpectedDeliveries += p.ExpectedDeliveries;
            r.Deliveries += p.Deliveries;
            r.Duplicates += p.Duplicates;
            r.PublishErrors += p.PublishErrors;
            r.Generator.CpuSeconds += p.GeneratorCpuSeconds;
            r.Generator.Cores += p.GeneratorCores;
            r.Generator.MaxProcessCores = Math.Max(r.Generator.MaxProcessCores, p.GeneratorCores);
            r.Generator.MachineBusy = Math.Max(r.Generator.MachineBusy, p.MachineBusy);
            foreach (var (k, v) in p.Errors)
                r.Errors[k] = r.Errors.GetValueOrDefault(k) + v;
            foreach (var (k, v) in p.Counts)
                r.Counts[k] = k.StartsWith("max", StringComparison.Ordinal) ? Math.Max(r.Counts.GetValueOrDefault(k), v) : r.Counts.GetValueOrDefault(k) + v;
            foreach (var n in p.Notes)
                if (!r.Notes.Contains(n))
                    r.Notes.Add(n);
            latency.Import(p.Latency);
            secondary.Import(p.SecondaryLatency);
            setup.Import(p.SetupLatency);
            lateness.Import(p.TimerLateness);
            queue.Import(p.QueueDelay);
        }
        var deliverySeconds = reports.Max(p => p.DeliverySeconds);
        r.Lost = Math.Max(0, r.ExpectedDeliveries - r.Deliveries);
        r.DeliveriesPerSecond = deliverySeconds > 0 ? Math.Round(r.Deliveries / deliverySeconds, 1) : 0;
        r.PublishedPerSecond = r.WindowSeconds > 0 ? Math.Round(r.Published / r.WindowSeconds, 1) : 0;
        r.SessionsPerSecond = r.SetupSeconds > 0 ? Math.Round(r.SessionsOpened / r.SetupSeconds, 1) : 0;
        r.ErrorCount = r.Errors.Values.Sum();
        r.LatencyMs = latency.Count > 0 ? latency.Summary() : null;
        r.SecondaryLatencyMs = secondary.Count > 0 ? secondary.Summary() : null;
        r.SecondaryLatencyName = r.SecondaryLatencyMs is null ? null : (args.Scenario == "chat" ? "send call (remoteCall round trip)" : "secondary");
        r.SetupLatencyMs = setup.Count > 0 ? setup.Summary() : null;
        r.Generator.TimerLatenessMs = lateness.Summary();
        r.Generator.QueueDelayMs = queue.Summary();
        r.Generator.Cores = Math.Round(r.Generator.Cores, 3);
        r.Generator.MachineBusy = Math.Max(r.Generator.MachineBusy, window.MachineBusy);
        if (serverPid is { } pid)
        {
            var cpu = window.ServerCpuSeconds ?? 0;
            r.Server = new ServerFigures
            {
                Pid = pid,
                RssBeforeSetupBytes = rssBefore,
                RssAfterSetupBytes = rssAfterSetup,
                RssEndBytes = window.ServerRssEnd,
                RssPeakBytes = window.ServerRssPeak,
                MemoryPerSessionBytes = r.SessionsOpened > 0 && rssBefore > 0 && rssAfterSetup > rssBefore ? Math.Round((double)(rssAfterSetup - rssBefore) / r.SessionsOpened, 1) : null,
                CpuSeconds = Math.Round(cpu, 3),
                Cores = Math.Round(window.ServerCores ?? 0, 3),
                CpuMicrosPerDelivery = r.Deliveries > 0 ? Math.Round(cpu * 1e6 / r.Deliveries, 3) : null,
            };
        }
        Warn(r, processes);
        r.Ok = r.Lost == 0 && r.Duplicates == 0 && r.ErrorCount == 0 && r.SessionsOpened == r.SessionsRequested;
        return r;
    }

    /// <summary>Flags runs whose figures describe the generator rather than the server.</summary>
    private static void Warn(BenchResult r, int processes)
    {
        var g = r.Generator;
        if (g.QueueDelayMs is { Count: > 0 } q && q.P99 > 20)
            r.Warnings.Add(FormattableString.Invariant($"GENERATOR SATURATED: its thread-pool queue delay p99 is {q.P99:0.#} ms — latencies include the generator's own backlog; use --processes or a lower load"));
        if (g.TimerLatenessMs is { Count: > 0 } t && t.P99 > 20)
            r.Warnings.Add(FormattableString.Invariant($"GENERATOR SATURATED: its timer fires late (p99 {t.P99:0.#} ms)"));
        if (r.OfferedRate > 0 && r.WindowSeconds > 0 && r.Scenario != "presence-badge" && r.PublishedPerSecond < 0.95 * r.OfferedRate)
            r.Warnings.Add(FormattableString.Invariant($"GENERATOR SATURATED: it offered {r.PublishedPerSecond:0} msg/s of the {r.OfferedRate:0} asked"));
        if (g.MaxProcessCores > 0.9)
            r.Warnings.Add(FormattableString.Invariant($"a generator process used {g.MaxProcessCores:0.00} cores: close to one core's worth; spread the load with --processes"));
        if (g.MachineBusy > 0.9)
        {
            var server = r.Server?.Cores;
            r.Warnings.Add(server is { } s && g.Cores > s && g.Cores > 0.5
                ? FormattableString.Invariant($"GENERATOR SATURATED: the machine was {g.MachineBusy:P0} busy and the generator used more CPU ({g.Cores:0.00} cores) than the server ({s:0.00})")
                : FormattableString.Invariant($"the machine was {g.MachineBusy:P0} busy (every process counts: generator {g.Cores:0.00} cores{(server is { } sc ? $", server {sc:0.00}" : "")}, of {Environment.ProcessorCount})"));
        }
        if (r.SessionsRequested > 19_000 * processes)
            r.Warnings.Add("more than 19,000 sessions per generator process: the 20,000-descriptor cap will refuse sockets; use --processes");
    }

    public static string Format(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
