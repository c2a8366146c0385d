using Parley.Bayeux.Channels;

namespace Parley.Bayeux.Tests.Channels;

public sealed class ChannelNameTests
{
    [Theory]
    [InlineData("/a")]
    [InlineData("/a/b")]
    [InlineData("/chat/room-1/x_y")]
    [InlineData("/A-Z/a_z/0.9/!~()$@")]
    [InlineData("/meta/handshake")]
    [InlineData("/service/im/send")]
    public void ConcreteNamesAreValid(string name)
    {
        Assert.True(ChannelName.IsValid(name));
        Assert.True(ChannelName.IsValidConcrete(name));
    }

    [Theory]
    [InlineData("/a/*")]
    [InlineData("/a/**")]
    [InlineData("/*")]
    [InlineData("/**")]
    [InlineData("/meta/**")]
    public void TrailingWildcardsAreValidPatternsButNotConcreteNames(string pattern)
    {
        Assert.True(ChannelName.IsValid(pattern));
        Assert.False(ChannelName.IsValidConcrete(pattern));
        Assert.True(ChannelName.IsPattern(pattern));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("a/b")]
    [InlineData("a")]
    [InlineData("//a")]
    [InlineData("/a//b")]
    [InlineData("/a/")]
    [InlineData("/a b")]
    [InlineData("/a/b#c")]
    [InlineData("/a/b?c")]
    [InlineData("/a/%20")]
    [InlineData("/a/é")]
    [InlineData("/聊天")]
    [InlineData("/a/*/b")]
    [InlineData("/*/b")]
    [InlineData("/a/**/b")]
    [InlineData("/a/b*")]
    [InlineData("/a/*b")]
    [InlineData("/a/***")]
    [InlineData("/a\\b")]
    public void MalformedNamesAreInvalid(string? name)
    {
        Assert.False(ChannelName.IsValid(name));
        Assert.False(ChannelName.IsValidConcrete(name));
    }

    [Fact]
    public void OverlongNamesAreInvalid()
    {
        Assert.True(ChannelName.IsValid("/" + new string('a', 1023)));
        Assert.False(ChannelName.IsValid("/" + new string('a', 1024)));
    }

    [Theory]
    [InlineData("/a/b", true)]
    [InlineData("/a/xyz", true)]
    [InlineData("/a", false)]
    [InlineData("/a/b/c", false)]
    [InlineData("/b/c", false)]
    [InlineData("/ab/c", false)]
    public void SingleWildcardMatchesExactlyOneSegment(string channel, bool expected) =>
        Assert.Equal(expected, ChannelName.Matches("/a/*", channel));

    [Theory]
    [InlineData("/a/b", true)]
    [InlineData("/a/b/c", true)]
    [InlineData("/a/b/c/d/e", true)]
    [InlineData("/a", false)]
    [InlineData("/ab/c", false)]
    [InlineData("/b/a/c", false)]
    public void DoubleWildcardMatchesAnyDepthBelow(string channel, bool expected) =>
        Assert.Equal(expected, ChannelName.Matches("/a/**", channel));

    [Fact]
    public void RootWildcardsMatchAccordingToDepth()
    {
        Assert.True(ChannelName.Matches("/*", "/a"));
        Assert.False(ChannelName.Matches("/*", "/a/b"));
        Assert.True(ChannelName.Matches("/**", "/a"));
        Assert.True(ChannelName.Matches("/**", "/a/b/c"));
    }

    [Fact]
    public void AConcreteNameMatchesOnlyItself()
    {
        Assert.True(ChannelName.Matches("/a/b", "/a/b"));
        Assert.False(ChannelName.Matches("/a/b", "/a/b/c"));
        Assert.False(ChannelName.Matches("/a/b", "/a/B"));
    }

    [Theory]
    [InlineData("/meta/connect", true, false)]
    [InlineData("/meta/**", true, false)]
    [InlineData("/service/im/send", false, true)]
    [InlineData("/service/**", false, true)]
    [InlineData("/metadata/x", false, false)]
    [InlineData("/services/x", false, false)]
    [InlineData("/chat/meta/x", false, false)]
    public void MetaAndServiceChannelsAreRecognizedByPrefix(string name, bool meta, bool service)
    {
        Assert.Equal(meta, ChannelName.IsMeta(name));
        Assert.Equal(service, ChannelName.IsService(name));
    }

    [Fact]
    public void ANamedMessageKnowsItIsMeta()
    {
        Assert.True(new Parley.Bayeux.Messages.BayeuxMessage { Channel = "/meta/connect" }.IsMeta);
        Assert.False(new Parley.Bayeux.Messages.BayeuxMessage { Channel = "/chat/x" }.IsMeta);
        Assert.False(new Parley.Bayeux.Messages.BayeuxMessage().IsMeta);
    }
}
