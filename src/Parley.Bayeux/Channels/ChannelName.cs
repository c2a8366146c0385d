namespace Parley.Bayeux.Channels;

/// <summary>
/// Channel-name grammar: <c>/seg/seg</c> with segments of <c>[A-Za-z0-9-_!~()$@.]</c>, and a
/// trailing <c>*</c> (one segment) or <c>**</c> (any depth) in patterns only.
/// </summary>
public static class ChannelName
{
    /// <summary>Prefix of the protocol's own channels.</summary>
    public const string MetaPrefix = "/meta/";
    /// <summary>Prefix of server-handled channels that are never broadcast.</summary>
    public const string ServicePrefix = "/service/";

    /// <summary>Well-known meta channels.</summary>
    public const string Handshake = "/meta/handshake";
    /// <summary>The heartbeat / poll channel.</summary>
    public const string Connect = "/meta/connect";
    /// <summary>Subscribe.</summary>
    public const string Subscribe = "/meta/subscribe";
    /// <summary>Unsubscribe.</summary>
    public const string Unsubscribe = "/meta/unsubscribe";
    /// <summary>Disconnect.</summary>
    public const string Disconnect = "/meta/disconnect";

    /// <summary>A valid channel name or pattern.</summary>
    public static bool IsValid(string? name) => Validate(name, allowWildcards: true);

    /// <summary>A valid concrete channel: a publish target, no wildcards.</summary>
    public static bool IsValidConcrete(string? name) => Validate(name, allowWildcards: false);

    /// <summary>Under <c>/meta/</c>.</summary>
    public static bool IsMeta(string name) => name.StartsWith(MetaPrefix, StringComparison.Ordinal);

    /// <summary>Under <c>/service/</c>.</summary>
    public static bool IsService(string name) => name.StartsWith(ServicePrefix, StringComparison.Ordinal);

    /// <summary>Ends with <c>/*</c> or <c>/**</c>.</summary>
    public static bool IsPattern(string name) => name.EndsWith("/*", StringComparison.Ordinal) || name.EndsWith("/**", StringComparison.Ordinal);

    /// <summary>True when <paramref name="pattern"/> (a name or a wildcard pattern) matches the concrete <paramref name="channel"/>.</summary>
    public static bool Matches(string pattern, string channel)
    {
        if (pattern.EndsWith("/**", StringComparison.Ordinal))
        {
            var prefix = pattern.AsSpan(0, pattern.Length - 2); // keeps the trailing '/'
            return channel.Length > prefix.Length && channel.AsSpan().StartsWith(prefix, StringComparison.Ordinal);
        }
        if (pattern.EndsWith("/*", StringComparison.Ordinal))
        {
            var prefix = pattern.AsSpan(0, pattern.Length - 1);
            return channel.Length > prefix.Length
                && channel.AsSpan().StartsWith(prefix, StringComparison.Ordinal)
                && channel.AsSpan(prefix.Length).IndexOf('/') < 0;
        }
        return string.Equals(pattern, channel, StringComparison.Ordinal);
    }

    private static bool Validate(string? name, bool allowWildcards)
    {
        if (string.IsNullOrEmpty(name) || name[0] != '/' || name.Length > 1024)
            return false;
        var segmentStart = 1;
        for (var i = 1; i <= name.Length; i++)
        {
            if (i < name.Length && name[i] != '/')
                continue;
            var segment = name.AsSpan(segmentStart, i - segmentStart);
            if (segment.IsEmpty)
                return false;
            var last = i == name.Length;
            if (segment is "*" or "**")
            {
                if (!allowWildcards || !last)
                    return false;
            }
            else
            {
                foreach (var c in segment)
                {
                    if (!IsSegmentChar(c))
                        return false;
                }
            }
            segmentStart = i + 1;
        }
        return true;
    }

    private static bool IsSegmentChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '-' or '_' or '!' or '~' or '(' or ')' or '$' or '@' or '.';
}
