using ScottPlot;

namespace Parley.Bench.Charts;

/// <summary>
/// Server resident memory against idle sessions, from the connections runs: each run starts a
/// fresh server and gives RSS before setup (0 sessions) and after it. Extra runs at other targets
/// (<c>{server}-connections-{transport}-N.json</c>) add points.
/// </summary>
internal static class MemoryChart
{
    public static string? Write(string folder)
    {
        var plot = new Plot();
        var any = false;
        foreach (var server in RunFiles.Servers)
        {
            foreach (var transport in RunFiles.Transports)
            {
                var baseline = new List<double>();
                var points = new SortedDictionary<double, double>();
                double? perSession = null;
                var largest = 0.0;
                foreach (var file in Files(folder, server, transport))
                {
                    if (RunFiles.Load(file) is not { } run)
                        continue;
                    var sessions = RunFiles.Number(run, "sessionsOpened") ?? 0;
                    if (RunFiles.Number(run, "server", "rssBeforeSetupBytes") is not { } before
                        || RunFiles.Number(run, "server", "rssAfterSetupBytes") is not { } after || sessions <= 0)
                        continue;
                    baseline.Add(before);
                    points[sessions] = after;
                    if (sessions > largest)
                    {
                        largest = sessions;
                        perSession = RunFiles.Number(run, "server", "memoryPerSessionBytes");
                    }
                }
                if (points.Count == 0)
                    continue;
                any = true;
                var xs = new List<double> { 0 };
                var ys = new List<double> { baseline.Average() / (1024 * 1024) };
                foreach (var (sessions, rss) in points)
                {
                    xs.Add(sessions);
                    ys.Add(rss / (1024 * 1024));
                }
                var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), ChartStyle.Server(server));
                line.LinePattern = transport == "websocket" ? LinePattern.Solid : LinePattern.Dashed;
                line.LineWidth = 2;
                line.MarkerSize = 7;
                line.MarkerShape = transport == "websocket" ? MarkerShape.FilledCircle : MarkerShape.FilledSquare;
                line.LegendText = $"{RunFiles.Title(server)} {transport}" + (perSession is { } b ? $": {b / 1024:0.0} KiB per session" : "");
            }
        }
        if (!any)
            return null;
        plot.Title("server memory vs idle sessions (fresh server per run)");
        plot.XLabel("sessions open (handshaken, subscribed, connect held)");
        plot.YLabel("server RSS (MiB)");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Edge.Right);
        var path = Path.Combine(folder, "memory-vs-sessions.png");
        plot.SavePng(path, ChartStyle.Width, ChartStyle.Height);
        return path;
    }

    private static IEnumerable<string> Files(string folder, string server, string transport)
    {
        var main = Path.Combine(folder, $"{server}-connections-{transport}.json");
        if (File.Exists(main))
            yield return main;
        // Extra targets: {server}-connections-{transport}-{N}.json (digits only, so "long-polling" is not taken for "long").
        foreach (var file in Directory.EnumerateFiles(folder, $"{server}-connections-{transport}-*.json"))
        {
            var suffix = Path.GetFileNameWithoutExtension(file)[$"{server}-connections-{transport}-".Length..];
            if (suffix.Length > 0 && suffix.All(char.IsAsciiDigit))
                yield return file;
        }
    }
}
