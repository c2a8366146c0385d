using System.Text;
using StackExchange.Redis;

namespace Parley.Backplane.Redis;

/// <summary>Every key and channel name of one cluster, under its prefix.</summary>
internal sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public RedisChannel Control { get; } = RedisChannel.Literal(prefix + "control");

    public RedisChannel Notices { get; } = RedisChannel.Literal(prefix + "signals");

    public RedisKey Nodes { get; } = new(prefix + "nodes");

    /// <summary>Prefix of the presence hashes, for the reap script that builds them itself.</summary>
    public string PresencePrefix => Prefix + "presence:";

    public RedisChannel Signals(string nodeId) => RedisChannel.Literal(Prefix + "signal:" + nodeId);

    public RedisKey Node(string nodeId) => new(Prefix + "node:" + nodeId);

    public RedisKey NodeUsers(string nodeId) => new(Prefix + "nodeusers:" + nodeId);

    public RedisKey Reap(string nodeId) => new(Prefix + "reap:" + nodeId);

    public RedisKey Presence(string userId) => new(Prefix + "presence:" + userId);

    /// <summary>The Redis channel a Bayeux channel is published on.</summary>
    public RedisChannel Broadcast(string channel) => RedisChannel.Literal(Prefix + "ch:" + channel);

    /// <summary>
    /// What a node subscribes to for a Bayeux channel or pattern. A pattern becomes a PSUBSCRIBE on its
    /// literal part plus <c>*</c>; Redis's <c>*</c> also crosses '/', so <c>/a/*</c> and <c>/a/**</c>
    /// share one glob and receipts are filtered by the exact Bayeux rule.
    /// </summary>
    public RedisChannel Interest(string channelOrPattern)
    {
        if (channelOrPattern.EndsWith("/**", StringComparison.Ordinal))
            return RedisChannel.Pattern(EscapeGlob(Prefix + "ch:" + channelOrPattern[..^2]) + "*");
        if (channelOrPattern.EndsWith("/*", StringComparison.Ordinal))
            return RedisChannel.Pattern(EscapeGlob(Prefix + "ch:" + channelOrPattern[..^1]) + "*");
        return Broadcast(channelOrPattern);
    }

    /// <summary>Escapes Redis glob metacharacters (<c>? * [ ] \</c>) so the text matches only itself.</summary>
    public static string EscapeGlob(string literal)
    {
        if (literal.AsSpan().IndexOfAny("?*[]\\") < 0)
            return literal;
        var builder = new StringBuilder(literal.Length + 8);
        foreach (var c in literal)
        {
            if (c is '?' or '*' or '[' or ']' or '\\')
                builder.Append('\\');
            builder.Append(c);
        }
        return builder.ToString();
    }
}
