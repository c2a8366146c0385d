namespace Parley.Bench.Bayeux;

/// <summary>
/// What every benchmark publish carries: who sent it and its per-publisher sequence number, when
/// (<see cref="System.Diagnostics.Stopwatch"/> ticks: CLOCK_MONOTONIC, shared by all generator
/// processes on the machine), and its place in its room's numbering by the originating generator
/// process — which lets each receiver check loss and duplicates with one bit per expected delivery.
/// </summary>
internal struct BenchPayload
{
    public int Origin;
    public int Room;
    public long RoomSeq;
    public long SentAt;
    public int Publisher;
    public long Seq;
}
