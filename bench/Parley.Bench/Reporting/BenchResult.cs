using System.Text.Json.Serialization;

namespace Parley.Bench.Reporting;

/// <summary>The machine-readable result of one run (<c>--json</c>).</summary>
internal sealed class BenchResult
{
    public string Scenario { get; set; } = "";
    public string Transport { get; set; } = "";
    public string Url { get; set; } = "";
    public DateTimeOffset StartedAt { get; set; }
    public Dictionary<string, string> Parameters { get; set; } = [];
    public int Processes { get; set; }
    public int SessionsRequested { get; set; }
    public int SessionsOpened { get; set; }

    /// <summary>Sessions opened against each URL of a comma-separated <c>--url</c> (absent with one URL).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long[]? SessionsByUrl { get; set; }

    public double SetupSeconds { get; set; }
    public double SessionsPerSecond { get; set; }
    public double WindowSeconds { get; set; }
    public double OfferedRate { get; set; }
    public long Published { get; set; }
    public double PublishedPerSecond { get; set; }
    public long ExpectedDeliveries { get; set; }
    public long Deliveries { get; set; }
    public long Lost { get; set; }
    public long Duplicates { get; set; }
    public double DeliveriesPerSecond { get; set; }
    public long PublishErrors { get; set; }
    public long ErrorCount { get; set; }
    public Dictionary<string, long> Errors { get; set; } = [];

    /// <summary>End-to-end latency (send timestamp to receipt).</summary>
    public Metrics.LatencySummary? LatencyMs { get; set; }

    /// <summary>A second latency where the scenario has one (chat: the send call's round trip).</summary>
    public Metrics.LatencySummary? SecondaryLatencyMs { get; set; }
    public string? SecondaryLatencyName { get; set; }

    /// <summary>Session setup (handshake + subscribe + first connect).</summary>
    public Metrics.LatencySummary? SetupLatencyMs { get; set; }

    /// <summary>The server; with several <c>--server-pid</c>s, their total (<see cref="ServerFigures.Pid"/> 0).</summary>
    public ServerFigures? Server { get; set; }

    /// <summary>Each of several <c>--server-pid</c>s (absent with one).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<ServerFigures>? Servers { get; set; }

    /// <summary>The processes of <c>--other-pids</c> (Redis, nginx…) by name: CPU in the measured window.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, OtherProcessFigures>? OtherProcesses { get; set; }

    /// <summary>Fan-out over several URLs: deliveries split by whether the receiver is on the publisher's node.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<PathFigures>? Paths { get; set; }

    public GeneratorFigures Generator { get; set; } = new();
    public Dictionary<string, double> Counts { get; set; } = [];
    public List<string> Notes { get; set; } = [];
    public List<string> Warnings { get; set; } = [];

    /// <summary>No loss, no duplicates, no errors.</summary>
    public bool Ok { get; set; }
}

internal sealed class ServerFigures
{
    public int Pid { get; set; }

    /// <summary>With several pids and as many URLs: the URL this pid serves (pid i ↔ URL i).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; set; }

    /// <summary>Sessions opened against <see cref="Url"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Sessions { get; set; }

    public long RssBeforeSetupBytes { get; set; }
    public long RssAfterSetupBytes { get; set; }
    public long RssEndBytes { get; set; }
    public long RssPeakBytes { get; set; }
    public double? MemoryPerSessionBytes { get; set; }
    public double CpuSeconds { get; set; }
    public double Cores { get; set; }
    public double? CpuMicrosPerDelivery { get; set; }
}

internal sealed class GeneratorFigures
{
    public double CpuSeconds { get; set; }
    public double Cores { get; set; }
    public double MaxProcessCores { get; set; }
    public double MachineBusy { get; set; }

    /// <summary>Share of the machine's CPU time stolen by the hypervisor in the measured window (part of <see cref="MachineBusy"/>).</summary>
    public double MachineSteal { get; set; }
    public Metrics.LatencySummary? TimerLatenessMs { get; set; }
    public Metrics.LatencySummary? QueueDelayMs { get; set; }
}

internal sealed class OtherProcessFigures
{
    public List<int> Pids { get; set; } = [];
    public double CpuSeconds { get; set; }
    public double Cores { get; set; }
    public long RssEndBytes { get; set; }
}

/// <summary>Deliveries of one path: <c>same-node</c> (publisher and receiver on one URL) or <c>cross-node</c>.</summary>
internal sealed class PathFigures
{
    public string Path { get; set; } = "";
    public long ExpectedDeliveries { get; set; }
    public long Deliveries { get; set; }
    public long Lost { get; set; }
    public long Duplicates { get; set; }
    public double DeliveriesPerSecond { get; set; }
    public Metrics.LatencySummary? LatencyMs { get; set; }
}
