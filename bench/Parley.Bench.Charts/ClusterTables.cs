using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Parley.Bench.Charts;

/// <summary>
/// The markdown tables of a cluster run (bench/cluster.sh): <c>cluster-sessions-{transport}.json</c>,
/// <c>cluster-latency-{transport}.json</c>, <c>cluster-scaling-{N}node-{rate}.json</c> and
/// <c>cluster-chat-{transport}.json</c>, into <c>cluster-results.md</c>.
/// </summary>
internal static class ClusterTables
{
    public static string? Write(string folder)
    {
        var s = new StringBuilder();
        Sessions(folder, s);
        Latency(folder, s);
        Scaling(folder, s);
        Chat(folder, s);
        if (s.Length == 0)
            return null;
        var path = Path.Combine(folder, "cluster-results.md");
        File.WriteAllText(path, s.ToString());
        return path;
    }

    private static void Sessions(string folder, StringBuilder s)
    {
        var rows = new List<string>();
        foreach (var transport in RunFiles.Transports)
        {
            if (RunFiles.Load(Path.Combine(folder, $"cluster-sessions-{transport}.json")) is not { } run)
                continue;
            var servers = Servers(run);
            rows.Add(Row(
                transport,
                $"{N(Num(run, "sessionsOpened"))} of {N(Num(run, "sessionsRequested"))}",
                string.Join(" / ", servers.Select(x => N(Num(x, "sessions")))),
                N(Num(run, "sessionsPerSecond")),
                Ms(run, "setupLatencyMs", "p50"),
                Ms(run, "setupLatencyMs", "p99"),
                N(Num(run, "counts", "aliveAfterHold")),
                N(Num(run, "errorCount")),
                string.Join(" / ", servers.Select(x => Kib(RunFiles.Number(x, "memoryPerSessionBytes")))),
                string.Join(" / ", servers.Select(x => Mib(RunFiles.Number(x, "rssAfterSetupBytes")))),
                Pct(RunFiles.Number(run, "generator", "machineBusy"))));
        }
        if (rows.Count == 0)
            return;
        s.Append("### Idle sessions over 3 nodes (direct to the node ports)\n\n");
        s.Append("| transport | sessions opened | per node | handshakes/s (all nodes) | setup p50 ms | setup p99 ms | alive after hold | errors | KiB/session node1 / 2 / 3 | node RSS after setup, MiB | machine busy (hold) |\n");
        s.Append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
            s.Append(r);
        s.Append('\n');
    }

    private static void Latency(string folder, StringBuilder s)
    {
        var rows = new List<string>();
        var cpu = new List<string>();
        foreach (var transport in RunFiles.Transports)
        {
            if (RunFiles.Load(Path.Combine(folder, $"cluster-latency-{transport}.json")) is not { } run)
                continue;
            if (run.TryGetProperty("paths", out var paths) && paths.ValueKind == JsonValueKind.Array)
            {
                foreach (var p in paths.EnumerateArray())
                    rows.Add(DeliveryRow(transport, p.GetProperty("path").GetString() ?? "", p));
            }
            rows.Add(DeliveryRow(transport, "**all**", run));
            cpu.Add(CpuRow(transport, run));
        }
        if (rows.Count == 0)
            return;
        s.Append("### Cross-node delivery latency (publishers on node 1, subscribers on nodes 1–3)\n\n");
        s.Append("| transport | path | expected | delivered | lost | dup | deliveries/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |\n");
        s.Append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
            s.Append(r);
        s.Append('\n');
        s.Append("| transport | node cores (1 / 2 / 3) | Redis cores | PostgreSQL cores | nginx cores | generator cores | machine busy |\n");
        s.Append("|---|---|---|---|---|---|---|\n");
        foreach (var r in cpu)
            s.Append(r);
        s.Append('\n');
    }

    private static void Scaling(string folder, StringBuilder s)
    {
        var runs = ScalingRuns(folder);
        if (runs.Count == 0)
            return;
        s.Append("### The same fan-out load on 1 node and on 3 nodes (websocket, clients round-robin over the nodes)\n\n");
        s.Append("| nodes | offered msg/s | published/s | deliveries/s | lost | dup | p50 ms | p99 ms | p99.9 ms | cross-node p99 ms | node cores (each) | node CPU µs/delivery | Redis cores | generator cores | machine busy |\n");
        s.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var (nodes, rate, run) in runs)
        {
            var servers = Servers(run);
            var each = servers.Count > 0 ? " (" + NodeCores(run) + ")" : "";
            string? crossP99 = null;
            if (run.TryGetProperty("paths", out var paths) && paths.ValueKind == JsonValueKind.Array)
                foreach (var p in paths.EnumerateArray())
                    if (p.GetProperty("path").GetString() == "cross-node")
                        crossP99 = Ms(p, "latencyMs", "p99");
            s.Append(Row(
                nodes.ToString(CultureInfo.InvariantCulture),
                N(rate),
                N(Num(run, "publishedPerSecond")),
                N(Num(run, "deliveriesPerSecond")),
                N(Num(run, "lost")),
                N(Num(run, "duplicates")),
                Ms(run, "latencyMs", "p50"),
                Ms(run, "latencyMs", "p99"),
                Ms(run, "latencyMs", "p999"),
                crossP99 ?? "—",
                F(Num(run, "server", "cores")) + each,
                F(Num(run, "server", "cpuMicrosPerDelivery")),
                F(OtherCores(run, "redis")),
                F(Num(run, "generator", "cores")),
                Pct(RunFiles.Number(run, "generator", "machineBusy"))));
        }
        s.Append('\n');
    }

    private static void Chat(string folder, StringBuilder s)
    {
        var rows = new List<string>();
        foreach (var transport in RunFiles.Transports)
        {
            if (RunFiles.Load(Path.Combine(folder, $"cluster-chat-{transport}.json")) is not { } run)
                continue;
            var syncFaults = Num(run, "counts", "syncLost") + Num(run, "counts", "syncDuplicates") + Num(run, "counts", "syncSeqGaps") + Num(run, "counts", "syncMissingClientMsgIds");
            rows.Add(Row(
                transport,
                N(Num(run, "sessionsOpened")),
                N(Num(run, "counts", "persistedPerSecond")),
                N(Num(run, "lost")),
                N(Num(run, "duplicates")),
                syncFaults == 0 ? "clean" : N(syncFaults) + " faults",
                Ms(run, "latencyMs", "p50"),
                Ms(run, "latencyMs", "p99"),
                Ms(run, "latencyMs", "max"),
                Ms(run, "secondaryLatencyMs", "p50"),
                Ms(run, "secondaryLatencyMs", "p99"),
                N(Num(run, "errorCount")),
                NodeCores(run),
                F(OtherCores(run, "postgres")),
                F(OtherCores(run, "redis")),
                Pct(RunFiles.Number(run, "generator", "machineBusy"))));
        }
        if (rows.Count == 0)
            return;
        s.Append("### IM chat between users on different nodes (stored in PostgreSQL, delivered through Redis)\n\n");
        s.Append("| transport | users | stored msg/s | lost (live) | dup (live) | sync check | p50 ms | p99 ms | max ms | send call p50 ms | send call p99 ms | errors | node cores (1 / 2 / 3) | PostgreSQL cores | Redis cores | machine busy |\n");
        s.Append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (var r in rows)
            s.Append(r);
        s.Append('\n');
    }

    public static List<(int Nodes, double Rate, JsonElement Run)> ScalingRuns(string folder)
    {
        var list = new List<(int, double, JsonElement)>();
        foreach (var file in Directory.EnumerateFiles(folder, "cluster-scaling-*node-*.json"))
        {
            var name = Path.GetFileNameWithoutExtension(file)["cluster-scaling-".Length..];
            var dash = name.IndexOf("node-", StringComparison.Ordinal);
            if (dash <= 0
                || !int.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var nodes)
                || !double.TryParse(name[(dash + 5)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate)
                || RunFiles.Load(file) is not { } run)
                continue;
            list.Add((nodes, rate, run));
        }
        list.Sort((a, b) => a.Item1 != b.Item1 ? a.Item1.CompareTo(b.Item1) : a.Item2.CompareTo(b.Item2));
        return list;
    }

    /// <summary>Deliveries and latency of a run, or of one path of it (the same fields in both).</summary>
    private static string DeliveryRow(string transport, string label, JsonElement e) => Row(
        transport,
        label,
        N(Num(e, "expectedDeliveries")),
        N(Num(e, "deliveries")),
        N(Num(e, "lost")),
        N(Num(e, "duplicates")),
        N(Num(e, "deliveriesPerSecond")),
        Ms(e, "latencyMs", "p50"),
        Ms(e, "latencyMs", "p90"),
        Ms(e, "latencyMs", "p99"),
        Ms(e, "latencyMs", "p999"),
        Ms(e, "latencyMs", "max"));

    private static string CpuRow(string transport, JsonElement run) => Row(
        transport,
        NodeCores(run),
        F(OtherCores(run, "redis")),
        F(OtherCores(run, "postgres")),
        F(OtherCores(run, "nginx")),
        F(Num(run, "generator", "cores")),
        Pct(RunFiles.Number(run, "generator", "machineBusy")));

    /// <summary>Each node's cores, "1.02 / 0.98 / 1.01".</summary>
    private static string NodeCores(JsonElement run) => string.Join(" / ", Servers(run).Select(x => F(Num(x, "cores"))));

    /// <summary>Cores of a process named in <c>--other-pids</c> (0 when it was not measured).</summary>
    private static double OtherCores(JsonElement run, string name) => RunFiles.Number(run, "otherProcesses", name, "cores") ?? 0;

    private static List<JsonElement> Servers(JsonElement run) =>
        run.TryGetProperty("servers", out var servers) && servers.ValueKind == JsonValueKind.Array ? [.. servers.EnumerateArray()] : [];

    private static string Row(params string[] cells) => "| " + string.Join(" | ", cells) + " |\n";

    private static double Num(JsonElement e, params string[] path) => RunFiles.Number(e, path) ?? 0;

    private static string N(double v) => v.ToString("#,0", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Ms(JsonElement e, string summary, string percentile) =>
        RunFiles.Number(e, summary, percentile) is { } v ? v.ToString(v < 10 ? "0.0#" : "#,0", CultureInfo.InvariantCulture) : "—";

    private static string Kib(double? bytes) => bytes is { } b ? (b / 1024).ToString("0.0", CultureInfo.InvariantCulture) : "—";

    private static string Mib(double? bytes) => bytes is { } b ? (b / 1048576).ToString("0", CultureInfo.InvariantCulture) : "—";

    private static string Pct(double? share) => share is { } v ? v.ToString("P0", CultureInfo.InvariantCulture) : "—";
}
