using ScottPlot;

namespace Parley.Bench.Charts;

/// <summary>
/// The same fan-out load on 1 node and on 3 nodes (bench/cluster.sh's
/// <c>cluster-scaling-{N}node-{rate}.json</c>): p50 and p99 end-to-end latency against the offered
/// rate, one colour per cluster size, with the deliveries per second in the legend.
/// </summary>
internal static class ClusterChart
{
    public static string? Write(string folder)
    {
        var runs = ClusterTables.ScalingRuns(folder);
        if (runs.Count == 0)
            return null;
        var plot = new Plot();
        double minMs = 1, maxMs = 10, maxRate = 0;
        foreach (var group in runs.GroupBy(r => r.Nodes))
        {
            var color = group.Key == 1 ? Colors.SteelBlue : Colors.SeaGreen;
            var rates = new List<double>();
            var p50 = new List<double>();
            var p99 = new List<double>();
            var delivered = new List<string>();
            foreach (var (_, rate, run) in group)
            {
                if (RunFiles.Number(run, "latencyMs", "p50") is not { } a || RunFiles.Number(run, "latencyMs", "p99") is not { } b)
                    continue;
                rates.Add(rate);
                p50.Add(ChartStyle.Log(a));
                p99.Add(ChartStyle.Log(b));
                minMs = Math.Min(minMs, Math.Max(a, 0.01));
                maxMs = Math.Max(maxMs, b);
                maxRate = Math.Max(maxRate, rate);
                delivered.Add($"{(RunFiles.Number(run, "deliveriesPerSecond") ?? 0) / 1000:0.#}k");
            }
            if (rates.Count == 0)
                continue;
            var label = group.Key == 1 ? "1 node" : $"{group.Key} nodes";
            var high = plot.Add.Scatter(rates.ToArray(), p99.ToArray(), color);
            high.LineWidth = 2.5f;
            high.MarkerSize = 7;
            high.LegendText = $"{label} p99 (deliveries/s: {string.Join(", ", delivered)})";
            var low = plot.Add.Scatter(rates.ToArray(), p50.ToArray(), color);
            low.LinePattern = LinePattern.DenselyDashed;
            low.LineWidth = 1.5f;
            low.MarkerSize = 4;
            low.LegendText = $"{label} p50";
        }
        ChartStyle.LogMillisecondsAxis(plot, minMs, maxMs);
        plot.Axes.SetLimitsX(0, maxRate * 1.08);
        plot.Title("fanout over websocket, 1 node vs 3 nodes on the same 2 cores\n(generator, Redis, PostgreSQL and nginx share them too)");
        plot.XLabel("offered rate (messages published per second; each goes to 1/10 of the clients)");
        plot.YLabel("end-to-end latency (log scale)");
        plot.ShowLegend(Edge.Right);
        var path = Path.Combine(folder, "cluster-scaling.png");
        plot.SavePng(path, ChartStyle.Width, ChartStyle.Height);
        return path;
    }
}
