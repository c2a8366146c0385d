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
/// window, and merges everything into one <see cref="BenchResult"/>. <c>--server-pid</c> may list
/// several pids (a cluster's nodes, in the order of the URLs of <c>--url</c>): each is reported, and
/// the total. <c>--other-pids name=pid,…</c> adds processes (and their children) whose CPU is only
/// reported: Redis, nginx, PostgreSQL.
/// </summary>
internal static class Orchestrator
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<BenchResult> RunAsync(Args args, CancellationToken cancellationToken)
    {
        var processes = Math.Max(1, args.Int("processes", 1));
        var serverPids = Pids(args.StrOrNull("server-pid"));
        var others = OtherPids(args.StrOrNull("other-pids"));
        var started = DateTimeOffset.UtcNow;
        var rssBefore = serverPids.Select(ProcSampler.RssBytes).ToArray();
        var window = new ResourceWindow(serverPids);
        var otherWindow = new ResourceWindow([]);
        long[] rssAfterSetup;
        List<ProcessReport> reports;
        if (processes == 1)
        {
            await using var runner = Scenario.Create(args, Part.Whole);
            await runner.SetupAsync(cancellationToken);
            rssAfterSetup = await SettledRssAsync(serverPids, args, cancellationToken);
            await runner.WarmUpAsync(WarmUpSeconds(args), cancellationToken);
            window.Start();
            (others, otherWindow) = StartOthers(others);
            var report = await runner.RunAsync(cancellationToken);
            await window.StopAsync();
            await otherWindow.StopAsync();
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
                rssAfterSetup = await SettledRssAsync(serverPids, args, cancellationToken);
                await Task.WhenAll(children.Select(c => c.WarmUpAsync(cancellationToken)));
                window.Start();
                (others, otherWindow) = StartOthers(others);
                foreach (var c in children)
                    await c.GoAsync();
                reports = [.. await Task.WhenAll(children.Select(c => c.WaitReportAsync(cancellationToken)))];
                await window.StopAsync();
                await otherWindow.StopAsync();
            }
            finally
            {
                foreach (var c in children)
                    c.Dispose();
            }
        }
        var result = Merge(args, reports, processes, started, serverPids.Length == 0 ? null : serverPids[0], Total(rssBefore), Total(rssAfterSetup), window);
        if (serverPids.Length > 1)
            AddServers(result, args, serverPids, rssBefore, rssAfterSetup, window);
        if (others.Count > 0)
            AddOthers(result, others, otherWindow);
        return result;
    }

    /// <summary><c>--warmup S</c>: seconds of unmeasured load after set-up (default 10; 0 in <c>--smoke</c>).</summary>
    public static double WarmUpSeconds(Args args) => args.Double("warmup", args.Flag("smoke") ? 0 : 10);

    /// <summary><c>--server-pid 12,34,56</c>: one pid or a comma-separated list.</summary>
    private static int[] Pids(string? value)
    {
        if (value is null)
            return [];
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var pids = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            pids[i] = int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
                ? pid
                : throw new ArgumentException($"--server-pid expects pids separated by commas, got '{value}'");
        return pids;
    }

    /// <summary><c>--other-pids redis=12,nginx=34,nginx=35</c>: a name may repeat (its pids are summed).</summary>
    private static List<(string Name, int Pid)> OtherPids(string? value)
    {
        var list = new List<(string, int)>();
        if (value is null)
            return list;
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !int.TryParse(part.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
                throw new ArgumentException($"--other-pids expects name=pid entries separated by commas, got '{part}'");
            list.Add((part[..eq], pid));
        }
        return list;
    }

    /// <summary>
    /// Starts watching the <c>--other-pids</c> and the processes they started, as found now (when the
    /// measured window opens): nginx's workers, PostgreSQL's backends.
    /// </summary>
    private static (List<(string Name, int Pid)>, ResourceWindow) StartOthers(List<(string Name, int Pid)> others)
    {
        var all = new List<(string Name, int Pid)>();
        foreach (var (name, pid) in others)
        {
            all.Add((name, pid));
            foreach (var child in ProcSampler.Children(pid))
                if (!all.Contains((name, child)))
                    all.Add((name, child));
        }
        var window = new ResourceWindow([.. all.Select(o => o.Pid)]);
        window.Start();
        return (all, window);
    }

    private static long Total(long[] values) => values.Length switch
    {
        0 => -1,
        1 => values[0],
        _ => values.Sum(v => Math.Max(0, v)),
    };

    /// <summary>Per-pid figures; pid i serves URL i when there are as many pids as URLs.</summary>
    private static void AddServers(BenchResult r, Args args, int[] pids, long[] rssBefore, long[] rssAfterSetup, ResourceWindow window)
    {
        var urls = Net.ServerUrls.Parse(args.Str("url", Net.ServerUrls.Default));
        var mapped = urls.Count == pids.Length && urls.Count > 1 && r.SessionsByUrl is not null;
        r.Servers = [];
        for (var i = 0; i < pids.Length; i++)
        {
            var sessions = mapped ? r.SessionsByUrl![i] : (long?)null;
            var cpu = window.CpuSecondsOf(i);
            r.Servers.Add(new ServerFigures
            {
                Pid = pids[i],
                Url = mapped ? urls[i].ToString() : null,
                Sessions = sessions,
                RssBeforeSetupBytes = rssBefore[i],
                RssAfterSetupBytes = rssAfterSetup[i],
                RssEndBytes = window.RssEndOf(i),
                RssPeakBytes = window.RssPeakOf(i),
                MemoryPerSessionBytes = sessions is > 0 && rssBefore[i] > 0 && rssAfterSetup[i] > rssBefore[i] ? Math.Round((double)(rssAfterSetup[i] - rssBefore[i]) / sessions.Value, 1) : null,
                CpuSeconds = Math.Round(cpu, 3),
                Cores = Math.Round(window.CoresOf(i), 3),
            });
        }
        if (r.Server is { } total)
            total.Pid = 0;
    }

    private static void AddOthers(BenchResult r, List<(string Name, int Pid)> others, ResourceWindow window)
    {
        r.OtherProcesses = [];
        for (var i = 0; i < others.Count; i++)
        {
            var (name, pid) = others[i];
            if (!r.OtherProcesses.TryGetValue(name, out var f))
                r.OtherProcesses[name] = f = new OtherProcessFigures();
            f.Pids.Add(pid);
            f.CpuSeconds = Math.Round(f.CpuSeconds + Math.Max(0, window.CpuSecondsOf(i)), 3);
            f.Cores = Math.Round(f.Cores + Math.Max(0, window.CoresOf(i)), 3);
            f.RssEndBytes += Math.Max(0, window.RssEndOf(i));
        }
    }

    /// <summary>The server's RSS once the sessions are open; for the connections scenario after the runtime settled a little.</summary>
    private static async Task<long[]> SettledRssAsync(int[] serverPids, Args args, CancellationToken cancellationToken)
    {
        var settle = args.Double("settle", args.Scenario == "connections" ? 3 : 0);
        if (serverPids.Length == 0)
            return [];
        if (settle > 0)
            await Task.Delay(TimeSpan.FromSeconds(settle), cancellationToken);
        return [.. serverPids.Select(ProcSampler.RssBytes)];
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
        foreach (var (name, value) in args.Values)
            r.Parameters[name] = value;
        var pathLatency = new Dictionary<string, Latency>(StringComparer.Ordinal);
        var pathCounts = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var p in reports)
        {
            if (p.SessionsByUrl is { } byUrl)
            {
                r.SessionsByUrl ??= new long[byUrl.Length];
                for (var i = 0; i < byUrl.Length && i < r.SessionsByUrl.Length; i++)
                    r.SessionsByUrl[i] += byUrl[i];
            }
            foreach (var (path, values) in p.PathLatency ?? [])
            {
                if (!pathLatency.TryGetValue(path, out var h))
                    pathLatency[path] = h = new Latency();
                h.Import(values);
            }
            foreach (var (path, counts) in p.PathCounts ?? [])
            {
                if (!pathCounts.TryGetValue(path, out var sum))
                    pathCounts[path] = sum = new long[counts.Length];
                for (var i = 0; i < counts.Length && i < sum.Length; i++)
                    sum[i] += counts[i];
            }
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
        if (pathCounts.Count > 0)
        {
            r.Paths = [];
            foreach (var (path, c) in pathCounts)
            {
                r.Paths.Add(new PathFigures
                {
                    Path = path,
                    ExpectedDeliveries = c[0],
                    Deliveries = c[1],
                    Duplicates = c[2],
                    Lost = Math.Max(0, c[0] - c[1]),
                    DeliveriesPerSecond = deliverySeconds > 0 ? Math.Round(c[1] / deliverySeconds, 1) : 0,
                    LatencyMs = pathLatency.TryGetValue(path, out var h) && h.Count > 0 ? h.Summary() : null,
                });
            }
        }
        r.SecondaryLatencyMs = secondary.Count > 0 ? secondary.Summary() : null;
        r.SecondaryLatencyName = r.SecondaryLatencyMs is null ? null : (args.Scenario == "chat" ? "send call (remoteCall round trip)" : "secondary");
        r.SetupLatencyMs = setup.Count > 0 ? setup.Summary() : null;
        r.Generator.TimerLatenessMs = lateness.Summary();
        r.Generator.QueueDelayMs = queue.Summary();
        r.Generator.Cores = Math.Round(r.Generator.Cores, 3);
        r.Generator.MachineBusy = Math.Max(r.Generator.MachineBusy, window.MachineBusy);
        r.Generator.MachineSteal = Math.Round(window.MachineSteal, 4);
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
