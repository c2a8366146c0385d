using Parley.Bayeux.Channels;

namespace Parley.Bayeux.Tests.Channels;

public sealed class ChannelPatternMapTests
{
    private static string[] Lookup(ChannelPatternMap<string> map, string channel)
    {
        var found = new List<string[]>();
        map.Match(channel, found);
        return [.. found.SelectMany(group => group).Order(StringComparer.Ordinal)];
    }

    private static ChannelPatternMap<string> MapOf(params string[] patterns)
    {
        var map = new ChannelPatternMap<string>();
        foreach (var pattern in patterns)
            map.Add(pattern, pattern);
        return map;
    }

    [Fact]
    public void MatchFindsTheExactNameTheSingleWildcardAndEveryAncestorDoubleWildcard()
    {
        var map = MapOf("/a/b/c", "/a/b/*", "/a/b/**", "/a/**", "/**");

        Assert.Equal(["/**", "/a/**", "/a/b/*", "/a/b/**", "/a/b/c"], Lookup(map, "/a/b/c"));
    }

    [Fact]
    public void MatchReturnsTheMostSpecificFirst()
    {
        var map = MapOf("/**", "/a/**", "/a/b/*", "/a/b/c");
        var found = new List<string[]>();

        map.Match("/a/b/c", found);

        Assert.Equal(["/a/b/c", "/a/b/*", "/a/**", "/**"], found.Select(group => Assert.Single(group)).ToArray());
    }

    [Fact]
    public void MatchDoesNotFindPatternsThatDoNotMatch()
    {
        var map = MapOf("/a/*", "/a/b/c/*", "/a/b/c/**", "/a/b/c/d", "/a/b", "/b/**", "/a/bc/**", "/a/b/cd", "/*");

        Assert.Empty(Lookup(map, "/a/b/c"));
    }

    [Fact]
    public void MatchAtTheRootFindsRootWildcards()
    {
        var map = MapOf("/a", "/*", "/**", "/a/*");

        Assert.Equal(["/*", "/**", "/a"], Lookup(map, "/a"));
    }

    [Fact]
    public void ManyUnrelatedPatternsDoNotChangeWhatALookupReturns()
    {
        var map = MapOf("/a/b/c", "/a/b/*", "/a/**");
        var before = Lookup(map, "/a/b/c");

        for (var i = 0; i < 100_000; i++)
        {
            map.Add((i % 4) switch
            {
                0 => $"/x{i}/**",
                1 => $"/a/b/c{i}",
                2 => $"/a/b{i}/*",
                _ => $"/a/b/c/d{i}/**",
            }, "noise");
        }

        Assert.Equal(100_003, map.Count);
        Assert.Equal(before, Lookup(map, "/a/b/c"));
        Assert.Equal(["/a/**", "/a/b/*", "/a/b/c"], before);
    }

    [Fact]
    public void AddIsIdempotentAndRemoveForgetsEmptyNames()
    {
        var map = new ChannelPatternMap<string>();

        Assert.True(map.Add("/a/*", "one"));
        Assert.False(map.Add("/a/*", "one"));
        Assert.True(map.Add("/a/*", "two"));
        Assert.Equal(1, map.Count);
        Assert.Equal(["one", "two"], map.Get("/a/*").Order(StringComparer.Ordinal));

        Assert.True(map.Remove("/a/*", "one"));
        Assert.False(map.Remove("/a/*", "one"));
        Assert.False(map.Remove("/nothing", "one"));
        Assert.Equal(["two"], map.Get("/a/*"));

        Assert.True(map.Remove("/a/*", "two"));
        Assert.Equal(0, map.Count);
        Assert.Empty(map.Get("/a/*"));
        Assert.False(map.AnyMatch("/a/b"));
    }

    [Fact]
    public void SnapshotsAlreadyHandedOutDoNotChange()
    {
        var map = new ChannelPatternMap<string>();
        map.Add("/a/b", "one");
        var found = new List<string[]>();
        map.Match("/a/b", found);
        var snapshot = found[0];

        map.Add("/a/b", "two");
        map.Remove("/a/b", "one");

        Assert.Equal(["one"], snapshot);
        Assert.Equal(["two"], map.Get("/a/b"));
        Assert.Same(map.Get("/a/b"), map.Get("/a/b"));
    }

    [Fact]
    public void AnyMatchTellsWhetherSomethingMatches()
    {
        var map = MapOf("/open/**");

        Assert.True(map.AnyMatch("/open/x"));
        Assert.True(map.AnyMatch("/open/x/y"));
        Assert.False(map.AnyMatch("/open"));
        Assert.False(map.AnyMatch("/closed/x"));
    }

    [Fact]
    public void LongChannelsAreMatchedToo()
    {
        var deep = "/" + string.Join("/", Enumerable.Range(0, 200).Select(i => "s" + i));
        var map = MapOf("/s0/**", deep, deep[..deep.LastIndexOf('/')] + "/*");

        Assert.Equal(3, Lookup(map, deep).Length);
    }
}
