using System.Collections.Concurrent;

namespace Parley.Chat.Accounts;

/// <summary>
/// Counts failed logins per key (a username, an address) in a sliding window; past the limit a
/// key is refused until its oldest failure leaves the window. Memory is bounded by pruning.
/// </summary>
public sealed class LoginThrottle(int maxFailures, TimeSpan window, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>True when the key may try now.</summary>
    public bool IsAllowed(string key)
    {
        if (!_failures.TryGetValue(key, out var queue))
            return true;
        lock (queue)
        {
            Prune(queue);
            return queue.Count < maxFailures;
        }
    }

    /// <summary>Records a failure.</summary>
    public void Fail(string key)
    {
        var queue = _failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            Prune(queue);
            queue.Enqueue(time.GetUtcNow());
        }
        if (_failures.Count > 100_000)
            Sweep();
    }

    /// <summary>Forgets a key's failures (after a success).</summary>
    public void Reset(string key) => _failures.TryRemove(key, out _);

    private void Prune(Queue<DateTimeOffset> queue)
    {
        var horizon = time.GetUtcNow() - window;
        while (queue.Count > 0 && queue.Peek() < horizon)
            queue.Dequeue();
    }

    private void Sweep()
    {
        foreach (var (key, queue) in _failures)
        {
            lock (queue)
            {
                Prune(queue);
                if (queue.Count == 0)
                    _failures.TryRemove(key, out _);
            }
        }
    }
}
