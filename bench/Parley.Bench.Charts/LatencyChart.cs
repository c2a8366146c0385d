using System.Text.Json;
using ScottPlot;

namespace Parley.Bench.Charts;

/// <summary>
/// End-to-end latency percentiles against the offered publish rate, Parley and Faye on one
/// transport, from the find-limit steps (<c>{server}-limit-fanout-{transport}.json</c>).
/// </summary>
internal static class LatencyChart
{
    private static readonly (string Name, string Label, LinePattern Pattern)[] Percentiles =
    [
        ("p50", "p50", LinePattern.DenselyDashed),
        ("p99", "p99", LinePattern.Solid),
        ("p999", "p99.9", LinePattern.Dashed),
    ];

    public static string? Write(string folder, string transport, double bound)
    {
        var plot = new Plot();
        var any = false;
        var maxRate = 0.0;
        var minMs = bound;
        var maxMs = bound;
        string? setup = null;
        foreach (var server in RunFiles.Servers)
        {
            if (RunFiles.Load(Path.Combine(folder, $"{server}-limit-fanout-{transport}.json")) is not { } run)
                continue;
            var steps = run.GetProperty("steps");
            var results = run.TryGetProperty("results", out var r) ? r : default;
            var highest = RunFiles.Number(run, "highestHeld");
            var rates = new List<double>();
            var values = Percentiles.Select(_ => new List<double>()).ToArray();
            var failedX = new List<double>();
            var failedY = new List<double>();
            var saturatedX = new List<double>();
            var saturatedY = new List<double>();
            for (var i = 0; i < steps.GetArrayLength(); i++)
            {
                var step = steps[i];
                var result = results.ValueKind == JsonValueKind.Array && i < results.GetArrayLength() ? results[i] : default;
                if (result.ValueKind != JsonValueKind.Object || result.GetProperty("latencyMs").ValueKind != JsonValueKind.Object)
                    continue; // nothing was delivered at this step: no latency to show
                setup ??= Setup(result);
                var rate = step.GetProperty("value").GetDouble();
                rates.Add(rate);
                maxRate = Math.Max(maxRate, rate);
                for (var p = 0; p < Percentiles.Length; p++)
                {
                    var ms = RunFiles.Number(result, "latencyMs", Percentiles[p].Name) ?? 0;
                    minMs = Math.Min(minMs, Math.Max(ms, 0.01));
                    maxMs = Math.Max(maxMs, ms);
                    values[p].Add(ChartStyle.Log(ms));
                }
                var p99 = ChartStyle.Log(RunFiles.Number(result, "latencyMs", "p99") ?? 0);
                if (!step.GetProperty("held").GetBoolean())
                {
                    failedX.Add(rate);
                    failedY.Add(p99);
                }
                if (step.TryGetProperty("generatorBound", out var saturatedFlag) && saturatedFlag.GetBoolean())
                {
                    saturatedX.Add(rate);
                    saturatedY.Add(p99);
                }
            }
            if (rates.Count == 0)
                continue;
            any = true;
            var color = ChartStyle.Server(server);
            for (var p = 0; p < Percentiles.Length; p++)
            {
                var line = plot.Add.Scatter(rates.ToArray(), values[p].ToArray(), color);
                line.LinePattern = Percentiles[p].Pattern;
                line.LineWidth = Percentiles[p].Name == "p99" ? 2.5f : 1.5f;
                line.MarkerSize = Percentiles[p].Name == "p99" ? 7 : 4;
                line.LegendText = Percentiles[p].Name == "p99"
                    ? $"{RunFiles.Title(server)} {Percentiles[p].Label} (highest rate held: {(highest is { } h ? $"{h:N0}/s" : "none")})"
                    : $"{RunFiles.Title(server)} {Percentiles[p].Label}";
            }
            if (failedX.Count > 0)
            {
                var failed = plot.Add.ScatterPoints(failedX.ToArray(), failedY.ToArray(), Colors.Red);
                failed.MarkerShape = MarkerShape.Eks;
                failed.MarkerSize = 14;
                failed.MarkerLineWidth = 2.5f;
                failed.LegendText = $"{RunFiles.Title(server)}: step failed (loss, error or p99 > bound)";
            }
            if (saturatedX.Count > 0)
            {
                // The generator, not the server, may have set this point: say so on the chart.
                var saturated = plot.Add.ScatterPoints(saturatedX.ToArray(), saturatedY.ToArray(), Colors.Gray);
                saturated.MarkerShape = MarkerShape.OpenCircle;
                saturated.MarkerSize = 20;
                saturated.MarkerLineWidth = 1.5f;
                saturated.LegendText = $"{RunFiles.Title(server)}: generator saturated at this step";
            }
        }
        if (!any)
            return null;

        var limit = plot.Add.HorizontalLine(ChartStyle.Log(bound), 1.5f, Colors.Gray, LinePattern.Dotted);
        limit.LegendText = $"p99 bound {bound:0} ms";
        ChartStyle.LogMillisecondsAxis(plot, minMs, maxMs);
        plot.Axes.SetLimitsX(0, maxRate * 1.08);
        plot.Title($"fanout over {transport}: latency vs offered rate" + (setup is null ? "" : $"\n{setup}"));
        plot.XLabel("offered rate (messages published per second)");
        plot.YLabel("end-to-end latency (log scale)");
        plot.ShowLegend(Edge.Right);
        var path = Path.Combine(folder, $"latency-vs-rate-{transport}.png");
        plot.SavePng(path, ChartStyle.Width, ChartStyle.Height);
        return path;
    }

    private static string? Setup(JsonElement result)
    {
        if (!result.TryGetProperty("parameters", out var parameters) || parameters.ValueKind != JsonValueKind.Object)
            return null;
        var clients = parameters.TryGetProperty("clients", out var c) ? c.GetString() : null;
        var rooms = parameters.TryGetProperty("rooms", out var r) ? r.GetString() : null;
        return clients is null || rooms is null ? null : $"{clients} clients in {rooms} rooms; every message goes to each client of its room";
    }
}
