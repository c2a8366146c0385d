namespace Parley.Bench.Scenarios;

/// <summary>Which share of the work this generator process does (process <see cref="Index"/> of <see cref="Count"/>).</summary>
internal sealed record Part(int Index, int Count)
{
    public static readonly Part Whole = new(0, 1);

    /// <summary>This process's contiguous slice of <c>0..total</c>.</summary>
    public (int From, int To) Range(int total) => ((int)((long)total * Index / Count), (int)((long)total * (Index + 1) / Count));
}
