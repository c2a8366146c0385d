namespace Parley.Bayeux.Sessions;

/// <summary>
/// A <c>/meta/connect</c> waiting for messages, its timeout, or a newer connect. Exactly one
/// wake wins; later ones are ignored.
/// </summary>
internal sealed class HeldConnect : IDisposable
{
    private readonly TaskCompletionSource<ConnectWake> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;
    private CancellationTokenRegistration _abort;

    public HeldConnect(ServerSession session, long cycle)
    {
        Session = session;
        Cycle = cycle;
    }

    public ServerSession Session { get; }

    /// <summary>The session's connect cycle this connect belongs to (the guard against stale timers).</summary>
    public long Cycle { get; }

    /// <summary>The browser whose long-poll count this connect holds, until released (once).</summary>
    public string? CountedBrowser
    {
        get => Volatile.Read(ref CountedBrowserField);
        set => Volatile.Write(ref CountedBrowserField, value);
    }

    internal string? CountedBrowserField;

    public Task<ConnectWake> Task => _completion.Task;

    public bool IsCompleted => _completion.Task.IsCompleted;

    public void Arm(TimeProvider time, TimeSpan timeout, CancellationToken aborted)
    {
        _timer = time.CreateTimer(static state => ((HeldConnect)state!).Wake(ConnectWake.Timeout), this, timeout, Timeout.InfiniteTimeSpan);
        if (aborted.CanBeCanceled)
            _abort = aborted.UnsafeRegister(static state => ((HeldConnect)state!).Wake(ConnectWake.Aborted), this);
    }

    public bool Wake(ConnectWake reason) => _completion.TrySetResult(reason);

    public void Dispose()
    {
        _timer?.Dispose();
        _abort.Dispose();
    }
}
