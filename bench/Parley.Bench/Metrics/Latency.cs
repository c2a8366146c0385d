using System.Diagnostics;
using HdrHistogram;

namespace Parley.Bench.Metrics;

/// <summary>An HDR histogram of latencies in microseconds (1 µs … 1 h, 3 significant digits), safe to record from any thread.</summary>
internal sealed class Latency
{
    private const long Highest = 3_600_000_000L;

    public Latency() => Histogram = new LongConcurrentHistogram(1, Highest, 3);

    public HistogramBase Histogram { get; }

    public long Count => Histogram.TotalCount;

    public void RecordMicros(long micros) => Histogram.RecordValue(Math.Clamp(micros, 1, Highest));

    /// <summary>Records the time since a <see cref="Stopwatch"/> timestamp.</summary>
    public void RecordSince(long startTimestamp) => RecordMicros(MicrosSince(startTimestamp));

    public static long MicrosSince(long startTimestamp) =>
        (Stopwatch.GetTimestamp() - startTimestamp) * 1_000_000 / Stopwatch.Frequency;

    /// <summary>The recorded values as (value, count) pairs: what child processes hand to the parent.</summary>
    public long[][] Export()
    {
        // Late recordings may race with the walk; the iterator notices, so walk again.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var list = new List<long[]>();
                foreach (var v in Histogram.RecordedValues())
                    list.Add([v.ValueIteratedTo, v.CountAtValueIteratedTo]);
                return [.. list];
            }
            catch (InvalidOperationException) when (attempt < 20)
            {
                Thread.Sleep(5);
            }
        }
    }

    public void Import(long[][]? values)
    {
        if (values is null)
            return;
        foreach (var v in values)
            Histogram.RecordValueWithCount(Math.Clamp(v[0], 1, Highest), v[1]);
    }

    public LatencySummary Summary() => Count == 0
        ? new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0)
        : new LatencySummary(
            Count,
            Ms(Histogram.GetValueAtPercentile(50)),
            Ms(Histogram.GetValueAtPercentile(90)),
            Ms(Histogram.GetValueAtPercentile(99)),
            Ms(Histogram.GetValueAtPercentile(99.9)),
            Ms(Histogram.GetMaxValue()),
            Math.Round(Histogram.GetMean() / 1000.0, 3),
            Ms(Histogram.GetValueAtPercentile(0)));

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}

/// <summary>Latency percentiles in milliseconds.</summary>
internal sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean, double Min)
{
    public override string ToString() =>
        FormattableString.Invariant($"p50 {P50:0.###} ms  p90 {P90:0.###} ms  p99 {P99:0.###} ms  p99.9 {P999:0.###} ms  max {Max:0.###} ms  (n={Count})");
}
