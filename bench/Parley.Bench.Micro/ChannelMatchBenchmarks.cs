using System.Globalization;
using BenchmarkDotNet.Attributes;
using Parley.Bayeux.Channels;

namespace Parley.Bench.Micro;

/// <summary>
/// <see cref="ChannelPatternMap{T}.Match"/> with 10, 1,000 and 100,000 registered names and
/// patterns. The lookup probes only the names that could match the channel, so the three rows
/// should show the same time: it depends on the channel's depth, not on the pattern count.
/// </summary>
[MemoryDiagnoser]
public class ChannelMatchBenchmarks
{
    private readonly List<object[]> _found = new(8);
    private ChannelPatternMap<object> _map = new();
    private string _hit = "";
    private string _miss = "";

    [Params(10, 1_000, 100_000)]
    public int Patterns { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _map = new ChannelPatternMap<object>();
        // A third each of exact names, "/*" and "/**" patterns, over Patterns / 3 rooms.
        for (var i = 0; i < Patterns; i++)
        {
            var room = "/chat/room/" + (i / 3).ToString(CultureInfo.InvariantCulture);
            var name = (i % 3) switch
            {
                0 => room,
                1 => room + "/*",
                _ => room + "/**",
            };
            _map.Add(name, new object());
        }
        var middle = (Patterns / 3 / 2).ToString(CultureInfo.InvariantCulture);
        _hit = "/chat/room/" + middle + "/typing"; // matches that room's "/*" and "/**"
        _miss = "/chat/lobby/" + middle + "/typing"; // same depth, nothing registered
        _map.Match(_hit, _found);
        if (_found.Count != 2)
            throw new InvalidOperationException($"{_hit} matched {_found.Count} names, expected 2.");
        _found.Clear();
    }

    [Benchmark(Description = "Match: channel with 2 matching patterns")]
    public int MatchHit()
    {
        _map.Match(_hit, _found);
        var count = _found.Count;
        _found.Clear();
        return count;
    }

    [Benchmark(Description = "Match: channel with no match")]
    public int MatchMiss()
    {
        _map.Match(_miss, _found);
        var count = _found.Count;
        _found.Clear();
        return count;
    }
}
