using System.Diagnostics;

namespace Parley.Bench.Metrics;

/// <summary>
/// Watches the generator itself: every 10 ms it measures how late its timer fired and how long a
/// work item waited in the thread pool queue. Large values mean the generator, not the server,
/// is what delays messages — its latency figures then describe the generator.
/// </summary>
internal sealed class SchedulingProbe : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _running;

    public SchedulingProbe() => _running = Task.Run(RunAsync);

    public Latency TimerLateness { get; } = new();

    public Latency QueueDelay { get; } = new();

    private async Task RunAsync()
    {
        var ct = _cts.Token;
        while (!ct.IsCancellationRequested)
        {
            var before = Stopwatch.GetTimestamp();
            try
            {
                await Task.Delay(Period, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var late = Latency.MicrosSince(before) - (long)Period.TotalMicroseconds;
            TimerLateness.RecordMicros(Math.Max(1, late));
            var queued = Stopwatch.GetTimestamp();
            ThreadPool.UnsafeQueueUserWorkItem(static state => state.Probe.QueueDelay.RecordSince(state.Queued), (Probe: this, Queued: queued), preferLocal: false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await _running;
        _cts.Dispose();
    }
}
