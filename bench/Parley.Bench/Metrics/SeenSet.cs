namespace Parley.Bench.Metrics;

/// <summary>A growable bitset of sequence numbers 1..n: one bit per expected delivery, touched by one receiver only.</summary>
internal sealed class SeenSet
{
    private ulong[] _bits = new ulong[4];

    public long Count { get; private set; }

    /// <summary>Marks <paramref name="seq"/>; false when it was already there (a duplicate).</summary>
    public bool Add(long seq)
    {
        var word = (int)(seq >> 6);
        if (word >= _bits.Length)
            Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length * 2));
        var mask = 1UL << (int)(seq & 63);
        if ((_bits[word] & mask) != 0)
            return false;
        _bits[word] |= mask;
        Count++;
        return true;
    }

    public bool Contains(long seq)
    {
        var word = (int)(seq >> 6);
        return word < _bits.Length && (_bits[word] & (1UL << (int)(seq & 63))) != 0;
    }
}
