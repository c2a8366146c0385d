using Parley.Bench.Cli;

namespace Parley.Bench;

/// <summary>The small, ~10-second versions of the scenarios that the test script runs.</summary>
internal static class Smoke
{
    private static readonly Dictionary<string, Dictionary<string, string>> Defaults = new(StringComparer.Ordinal)
    {
        ["fanout"] = new() { ["clients"] = "50", ["rooms"] = "5", ["rooms-per-client"] = "2", ["rate"] = "200", ["batch-size"] = "2", ["duration"] = "6", ["drain"] = "5" },
        ["connections"] = new() { ["target"] = "200", ["hold"] = "3", ["settle"] = "1" },
        ["chat"] = new() { ["users"] = "40", ["rate"] = "100", ["duration"] = "5" },
        ["presence-badge"] = new() { ["users"] = "20", ["concurrency"] = "8", ["duration"] = "5" },
    };

    public static Args Apply(Args args)
    {
        if (!Defaults.TryGetValue(args.Scenario, out var defaults))
            return args;
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (k, v) in defaults)
            if (!args.Has(k))
                overrides[k] = v;
        return args.Reparse(overrides);
    }
}
