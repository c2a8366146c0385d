using Parley.Bayeux.Channels;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Security;

/// <summary>
/// Parley's default rules: an authorizer registered for a matching pattern may deny or grant;
/// without a grant, only the configured open channels are allowed. Deny wins.
/// </summary>
/// <remarks>
/// A concrete channel consults the authorizers whose name or pattern matches it (an index
/// lookup). A subscription pattern such as <c>/user/*</c> or <c>/**</c> would receive messages of
/// many channels, so it consults every authorizer whose pattern overlaps it — broader ones that
/// cover it and narrower ones it covers — and each sees the pattern as the channel.
/// </remarks>
public sealed class ChannelSecurityPolicy : ISecurityPolicy
{
    private readonly ChannelPatternMap<IChannelAuthorizer> _authorizers = new();
    private (string Pattern, IChannelAuthorizer Authorizer)[] _all = [];
    private readonly ChannelPatternMap<string> _open = new();
    private readonly string[] _openPatterns;

    /// <summary>Creates the policy with the given open channel patterns.</summary>
    public ChannelSecurityPolicy(IEnumerable<string> openChannels)
    {
        _openPatterns = [.. openChannels];
        foreach (var pattern in _openPatterns)
        {
            if (!ChannelName.IsValid(pattern))
                throw new ArgumentException($"Invalid open channel pattern '{pattern}'.", nameof(openChannels));
            _open.Add(pattern, pattern);
        }
    }

    /// <summary>Registers an authorizer for a channel name or pattern.</summary>
    public void AddAuthorizer(string pattern, IChannelAuthorizer authorizer)
    {
        if (!ChannelName.IsValid(pattern))
            throw new ArgumentException($"Invalid channel pattern '{pattern}'.", nameof(pattern));
        _authorizers.Add(pattern, authorizer);
        lock (_authorizers)
            _all = [.. _all, (pattern, authorizer)];
    }

    /// <inheritdoc />
    public async ValueTask<bool> CanAsync(ChannelOperation operation, ServerSession session, string channel, BayeuxMessage message, CancellationToken cancellationToken)
    {
        var granted = false;
        if (_authorizers.Count == 0)
        {
            // No authorizer at all (conformance runs, benchmarks): nothing to ask, nothing to allocate.
        }
        else if (ChannelName.IsValidConcrete(channel))
        {
            var found = new List<IChannelAuthorizer[]>(2);
            _authorizers.Match(channel, found);
            foreach (var group in found)
            {
                foreach (var authorizer in group)
                {
                    var verdict = await authorizer.AuthorizeAsync(operation, session, channel, message, cancellationToken);
                    if (verdict == Authorization.Deny)
                        return false;
                    granted |= verdict == Authorization.Grant;
                }
            }
        }
        else
        {
            foreach (var (pattern, authorizer) in _all)
            {
                if (!Overlaps(pattern, channel))
                    continue;
                var verdict = await authorizer.AuthorizeAsync(operation, session, channel, message, cancellationToken);
                if (verdict == Authorization.Deny)
                    return false;
                granted |= verdict == Authorization.Grant;
            }
        }
        return granted || IsOpen(channel);
    }

    // Conservative: two names overlap when the fixed part of one is a prefix of the other's, so
    // an authorizer is asked whenever the channels it guards might be reached.
    private static bool Overlaps(string a, string b)
    {
        var baseA = FixedPart(a);
        var baseB = FixedPart(b);
        return baseA.StartsWith(baseB, StringComparison.Ordinal) || baseB.StartsWith(baseA, StringComparison.Ordinal);
    }

    private static string FixedPart(string name) =>
        name.EndsWith("/**", StringComparison.Ordinal) ? name[..^2]
        : name.EndsWith("/*", StringComparison.Ordinal) ? name[..^1]
        : name;

    // A pattern is open when an open pattern covers all of it: /bench/** covers /bench/* and /bench/a/**.
    private bool IsOpen(string channel)
    {
        if (ChannelName.IsValidConcrete(channel))
            return _open.AnyMatch(channel);
        foreach (var open in _openPatterns)
        {
            if (open == channel || (open.EndsWith("/**", StringComparison.Ordinal) && channel.StartsWith(open[..^2], StringComparison.Ordinal)))
                return true;
        }
        return false;
    }
}
