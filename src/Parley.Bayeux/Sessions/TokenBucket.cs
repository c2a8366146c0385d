namespace Parley.Bayeux.Sessions;

/// <summary>
/// A token bucket: <see cref="Capacity"/> tokens at most, refilled at <see cref="RatePerSecond"/>.
/// Not thread-safe; the owner serializes access.
/// </summary>
public struct TokenBucket
{
    private double _tokens;
    private long _lastTimestamp;

    /// <summary>Creates a full bucket.</summary>
    public TokenBucket(double ratePerSecond, double capacity, long nowTimestamp)
    {
        RatePerSecond = ratePerSecond;
        Capacity = capacity;
        _tokens = capacity;
        _lastTimestamp = nowTimestamp;
    }

    /// <summary>Refill rate.</summary>
    public double RatePerSecond { get; }

    /// <summary>Largest burst.</summary>
    public double Capacity { get; }

    /// <summary>Takes one token if there is one. A non-positive rate means unlimited.</summary>
    public bool TryTake(long nowTimestamp, long timestampFrequency)
    {
        if (RatePerSecond <= 0)
            return true;
        var elapsed = (double)(nowTimestamp - _lastTimestamp) / timestampFrequency;
        if (elapsed > 0)
        {
            _tokens = Math.Min(Capacity, _tokens + elapsed * RatePerSecond);
            _lastTimestamp = nowTimestamp;
        }
        if (_tokens < 1)
            return false;
        _tokens -= 1;
        return true;
    }
}
