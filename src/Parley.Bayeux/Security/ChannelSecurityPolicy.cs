using Parley.Bayeux.Channels;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Security;

/// <summary>
/// Parley's default rules: an authorizer registered for a matching pattern may deny or grant;
/// without a grant, only the configured open channels are allowed. Deny wins.
/// </summary>
public sealed class ChannelSecurityPolicy : ISecurityPolicy
{
    private readonly ChannelPatternMap<IChannelAuthorizer> _authorizers = new();
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
    }

    /// <inheritdoc />
    public async ValueTask<bool> CanAsync(ChannelOperation operation, ServerSession session, string channel, BayeuxMessage message, CancellationToken cancellationToken)
    {
        var granted = false;
        if (ChannelName.IsValidConcrete(channel))
        {
            var found = new List<IChannelAuthorizer[]>(2);
            _authorizers.Match(channel, found);
            foreach (var group in found)
            {
                foreach (var authorizer in group)
                {
                    switch (await authorizer.AuthorizeAsync(operation, session, channel, message, cancellationToken))
                    {
                        case Authorization.Deny:
                            return false;
                        case Authorization.Grant:
                            granted = true;
                            break;
                    }
                }
            }
        }
        else
        {
            // A subscription pattern: authorizers registered for exactly that pattern decide.
            foreach (var authorizer in _authorizers.Get(channel))
            {
                switch (await authorizer.AuthorizeAsync(operation, session, channel, message, cancellationToken))
                {
                    case Authorization.Deny:
                        return false;
                    case Authorization.Grant:
                        granted = true;
                        break;
                }
            }
        }
        return granted || IsOpen(channel);
    }

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
