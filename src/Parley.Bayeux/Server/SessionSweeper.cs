using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Server;

/// <summary>
/// Expires sessions whose client stopped connecting. Keeps at most one deadline entry per session
/// in a priority queue; each tick pops only the entries that are due, so its cost follows the
/// sessions that may have expired, not the number of idle sessions.
/// </summary>
internal sealed class SessionSweeper : IDisposable
{
    private readonly PriorityQueue<ServerSession, long> _due = new();
    private readonly Lock _gate = new();
    private readonly BayeuxServer _server;
    private readonly TimeProvider _time;
    private ITimer? _timer;

    public SessionSweeper(BayeuxServer server, TimeProvider time)
    {
        _server = server;
        _time = time;
    }

    public int Pending
    {
        get { lock (_gate) return _due.Count; }
    }

    public void Start(TimeSpan period) =>
        _timer ??= _time.CreateTimer(static state => ((SessionSweeper)state!).Sweep(), this, period, period);

    public void Schedule(ServerSession session, long deadline)
    {
        lock (_gate)
        {
            if (session.SweepScheduled)
                return;
            session.SweepScheduled = true;
            _due.Enqueue(session, deadline);
        }
    }

    public void Sweep()
    {
        var now = _time.GetTimestamp();
        List<ServerSession>? due = null;
        lock (_gate)
        {
            while (_due.TryPeek(out var session, out var deadline) && deadline <= now)
            {
                _due.Dequeue();
                session.SweepScheduled = false;
                (due ??= []).Add(session);
            }
        }
        if (due is null)
            return;
        foreach (var session in due)
        {
            if (session.IsExpired(now))
                _server.RemoveSession(session, SessionRemovalReason.Expired);
            else if (session.IsActive && !session.IsHeld)
                Schedule(session, session.ExpiresAt); // touched since: check again at its new deadline
            // held sessions are scheduled again when their connect is answered
        }
    }

    public void Dispose() => _timer?.Dispose();
}
