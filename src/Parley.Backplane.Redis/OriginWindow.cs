namespace Parley.Backplane.Redis;

/// <summary>
/// The sequence numbers recently handled from one sending process, to drop a second copy of a
/// broadcast (it arrives through every subscription matching its channel).
/// Bounded: only the last <see cref="Capacity"/> are remembered, far more than such a hand-over lasts.
/// </summary>
internal sealed class OriginWindow(string nodeId, long now)
{
    public const int Capacity = 16384;
    private readonly HashSet<long> _seen = [];
    private readonly Queue<long> _order = new();

    public string NodeId { get; } = nodeId;

    /// <summary>When a broadcast from this origin last arrived (timestamp ticks), to forget origins that went away.</summary>
    public long LastSeen { get; private set; } = now;

    public bool Contains(long sequence) => _seen.Contains(sequence);

    /// <summary>False when the sequence number was already delivered.</summary>
    public bool TryAdd(long sequence, long now)
    {
        LastSeen = now;
        if (!_seen.Add(sequence))
            return false;
        _order.Enqueue(sequence);
        if (_order.Count > Capacity)
            _seen.Remove(_order.Dequeue());
        return true;
    }
}
