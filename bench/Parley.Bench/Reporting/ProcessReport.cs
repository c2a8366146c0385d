namespace Parley.Bench.Reporting;

/// <summary>
/// What one generator process measured, in mergeable form (counts and raw histogram values):
/// written as JSON by child processes and merged by the parent into a <see cref="BenchResult"/>.
/// </summary>
internal sealed class ProcessReport
{
    public int Process { get; set; }
    public int SessionsRequested { get; set; }
    public int SessionsOpened { get; set; }

    /// <summary>Sessions opened against each URL (several URLs only).</summary>
    public long[]? SessionsByUrl { get; set; }
    public double SetupSeconds { get; set; }
    public double WindowSeconds { get; set; }
    public double DeliverySeconds { get; set; }
    public long Published { get; set; }
    public double OfferedRate { get; set; }
    public long ExpectedDeliveries { get; set; }
    public long Deliveries { get; set; }
    public long Duplicates { get; set; }
    public long PublishAcks { get; set; }
    public long PublishErrors { get; set; }
    public long ConnectCycles { get; set; }
    public double GeneratorCpuSeconds { get; set; }
    public double GeneratorCores { get; set; }
    public double MachineBusy { get; set; }
    public Dictionary<string, long> Errors { get; set; } = [];
    public long[][]? Latency { get; set; }
    public long[][]? SecondaryLatency { get; set; }
    public long[][]? SetupLatency { get; set; }
    public long[][]? TimerLateness { get; set; }
    public long[][]? QueueDelay { get; set; }

    /// <summary>Fan-out over several URLs, per path (<c>same-node</c>, <c>cross-node</c>): latency values.</summary>
    public Dictionary<string, long[][]>? PathLatency { get; set; }

    /// <summary>Per path: expected deliveries (of what this process published), deliveries and duplicates (of what it received).</summary>
    public Dictionary<string, long[]>? PathCounts { get; set; }

    /// <summary>Scenario-specific counts, summed across processes.</summary>
    public Dictionary<string, double> Counts { get; set; } = [];

    /// <summary>Lines for the reader (settings that matter, what was verified).</summary>
    public List<string> Notes { get; set; } = [];
}
