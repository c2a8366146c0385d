using Parley.Bench.Cli;

namespace Parley.Bench.Scenarios;

/// <summary>The scenarios by name.</summary>
internal static class Scenario
{
    public static readonly string[] Names = ["fanout", "connections", "chat", "presence-badge"];

    public static IScenarioRunner Create(Args args, Part part) => args.Scenario switch
    {
        "fanout" => new FanoutScenario(args, part),
        "connections" => new ConnectionsScenario(args, part),
        "chat" => new ChatScenario(args, part),
        "presence-badge" => new PresenceBadgeScenario(args, part),
        _ => throw new ArgumentException($"unknown scenario '{args.Scenario}' (one of: {string.Join(", ", Names)})"),
    };
}
