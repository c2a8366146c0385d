using System.Diagnostics;

namespace Parley.Bench.Scenarios;

/// <summary>
/// An open-loop load: calls start on schedule whatever the answers do, as users' clients would.
/// Counts the calls still running and the most at once (the backlog the server let build up).
/// One instance per load; <see cref="RunAsync"/> runs on one thread at a time.
/// </summary>
internal sealed class OpenLoop
{
    private readonly List<Task> _calls = [];
    private long _running;

    /// <summary>Calls started and not finished yet.</summary>
    public long Running => Interlocked.Read(ref _running);

    /// <summary>The most calls running at once.</summary>
    public long MostRunning { get; private set; }

    /// <summary>
    /// Starts <paramref name="call"/>(0), (1), … at <paramref name="perSecond"/> a second for
    /// <paramref name="seconds"/>; returns how many it started. The calls may still be running.
    /// </summary>
    public async Task<long> RunAsync(double seconds, double perSecond, Func<long, Task> call, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        long started = 0;
        while (perSecond > 0)
        {
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (elapsed >= seconds)
                break;
            var due = (long)(elapsed * perSecond) + 1;
            while (started < due)
            {
                var running = Interlocked.Increment(ref _running);
                MostRunning = Math.Max(MostRunning, running);
                var task = call(started++);
                _calls.Add(task);
                _ = task.ContinueWith(static (_, state) => Interlocked.Decrement(ref ((OpenLoop)state!)._running), this, TaskScheduler.Default);
            }
            await Task.Delay(1, cancellationToken);
        }
        return started;
    }

    /// <summary>Completes when every call started so far has; their failures surface here.</summary>
    public Task AllDoneAsync() => Task.WhenAll(_calls);
}
