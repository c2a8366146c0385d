using Parley.Bayeux.Messages;

namespace Parley.Bayeux.Sessions;

/// <summary>
/// The ack extension's bookkeeping for one session: every delivery gets the number of the
/// connect reply that carried it; a connect acknowledging batch N forgets batches up to N;
/// anything not yet acknowledged is sent again in the next connect reply.
/// </summary>
internal sealed class AckState
{
    private readonly List<(long Batch, EncodedMessage Message)> _unacknowledged = [];

    /// <summary>The batch number the next connect reply will carry.</summary>
    public long NextBatch { get; private set; } = 1;

    public int Unacknowledged => _unacknowledged.Count;

    public void Acknowledge(long batch)
    {
        var keep = 0;
        while (keep < _unacknowledged.Count && _unacknowledged[keep].Batch <= batch)
            keep++;
        if (keep > 0)
            _unacknowledged.RemoveRange(0, keep);
    }

    /// <summary>
    /// Builds the contents of a connect reply: the unacknowledged messages again, then the new
    /// ones, and returns the batch number to put in the reply's <c>ext.ack</c>.
    /// </summary>
    public long TakeBatch(Queue<EncodedMessage>? fresh, List<EncodedMessage> into, int limit = int.MaxValue)
    {
        var batch = NextBatch++;
        // A client that never acknowledges must not grow this without bound: keep the newest.
        var excess = _unacknowledged.Count + (fresh?.Count ?? 0) - limit;
        if (excess > 0)
            _unacknowledged.RemoveRange(0, Math.Min(excess, _unacknowledged.Count));
        foreach (var (_, message) in _unacknowledged)
            into.Add(message);
        if (fresh is not null)
        {
            while (fresh.TryDequeue(out var message))
            {
                _unacknowledged.Add((batch, message));
                into.Add(message);
            }
        }
        return batch;
    }
}
