using System.Globalization;
using System.Text.Json;
using Parley.Bench.Cli;
using Parley.Bench.Reporting;

namespace Parley.Bench;

/// <summary>
/// Find-the-limit mode: runs the scenario at growing load — the offered rate (fanout, chat,
/// presence-badge) or the session count (connections) — until p99 exceeds the bound or anything
/// is lost, duplicated or refused; the highest step that held is the figure to compare servers by.
/// </summary>
internal static class LimitFinder
{
    public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
    {
        var parameter = args.Scenario == "connections" ? "target" : "rate";
        var start = args.Double(parameter, args.Scenario == "connections" ? 1000 : 1000);
        var factor = args.Double("step-factor", 1.5);
        var step = args.Double("step", 0);
        var maxSteps = args.Int("max-steps", 8);
        var bound = args.Double("p99-bound", 250);
        var steps = new List<LimitStep>();
        var results = new List<BenchResult>();
        double? highest = null;
        var highestGeneratorBound = false;
        var value = start;
        string? stopReason = null;
        for (var i = 0; i < maxSteps; i++)
        {
            var stepArgs = args.Reparse(new Dictionary<string, string?>
            {
                [parameter] = value.ToString("0.##", CultureInfo.InvariantCulture),
                ["find-limit"] = null,
                ["json"] = null,
                // The server is warm after the first step.
                ["warmup"] = i == 0 ? Orchestrator.WarmUpSeconds(args).ToString(CultureInfo.InvariantCulture) : "0",
            });
            Console.WriteLine($"-- step {i + 1}: {parameter} = {value:0.##}");
            var r = await Orchestrator.RunAsync(stepArgs, cancellationToken);
            Console.Write(Summary.Of(r));
            results.Add(r);
            var p99 = (args.Scenario == "connections" ? r.SetupLatencyMs : r.LatencyMs)?.P99 ?? 0;
            var generatorBound = r.Warnings.Any(w => w.StartsWith("GENERATOR SATURATED", StringComparison.Ordinal));
            var held = r.Ok && p99 <= bound;
            steps.Add(new LimitStep(value, p99, r.Lost, r.Duplicates, r.ErrorCount, r.DeliveriesPerSecond, r.SessionsOpened, held, generatorBound));
            if (!held)
            {
                stopReason = !r.Ok ? "failed: " + Summary.Failure(r) : FormattableString.Invariant($"p99 {p99:0.#} ms > {bound} ms");
                break;
            }
            highest = value;
            highestGeneratorBound = generatorBound;
            // A step that held while the generator was short of CPU still held: go on. On a
            // machine the generator shares with the server this is the usual case, and stopping
            // would report the generator's comfort, not the server's limit.
            value = step > 0 ? value + step : value * factor;
        }
        stopReason ??= "reached --max-steps";
        Console.WriteLine();
        Console.WriteLine($"== find-limit {args.Scenario} over {args.Str("transport", "websocket")}: p99 bound {bound} ms, zero loss");
        Console.WriteLine($"   {parameter,10} {"p99 ms",10} {"lost",8} {"dup",6} {"errors",7} {"deliv/s",12}  held");
        foreach (var s in steps)
            Console.WriteLine(FormattableString.Invariant($"   {s.Value,10:0.##} {s.P99,10:0.##} {s.Lost,8} {s.Duplicates,6} {s.Errors,7} {s.DeliveriesPerSecond,12:0} {(s.Held ? "yes" : "NO")}{(s.GeneratorBound ? " (generator-bound)" : "")}"));
        Console.WriteLine(highest is { } h
            ? FormattableString.Invariant($"HIGHEST HELD: {parameter} = {h:0.##}{(highestGeneratorBound ? " with the generator saturated" : "")}  (stopped: {stopReason})")
            : $"NOTHING HELD: even the first step failed ({stopReason})");
        if (args.StrOrNull("json") is { } path)
        {
            var doc = new LimitResult(args.Scenario, args.Str("transport", "websocket"), parameter, bound, highest, stopReason, steps, results);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(doc, Orchestrator.Json), cancellationToken);
        }
        return args.Flag("smoke") && highest is null ? 1 : 0;
    }

    private sealed record LimitStep(double Value, double P99, long Lost, long Duplicates, long Errors, double DeliveriesPerSecond, int Sessions, bool Held, bool GeneratorBound);

    private sealed record LimitResult(string Scenario, string Transport, string Parameter, double P99BoundMs, double? HighestHeld, string StopReason, List<LimitStep> Steps, List<BenchResult> Results);
}
