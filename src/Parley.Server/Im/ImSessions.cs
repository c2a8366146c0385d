using System.Collections.Concurrent;
using Parley.Bayeux.Sessions;

namespace Parley.Server.Im;

/// <summary>The signed-in Bayeux sessions of this node, by user.</summary>
internal sealed class ImSessions
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ServerSession>> _byUser = new(StringComparer.Ordinal);

    public void Add(string userId, ServerSession session) =>
        _byUser.GetOrAdd(userId, static _ => new ConcurrentDictionary<string, ServerSession>(StringComparer.Ordinal))[session.Id] = session;

    public void Remove(string userId, ServerSession session)
    {
        if (!_byUser.TryGetValue(userId, out var sessions))
            return;
        sessions.TryRemove(session.Id, out _);
        if (sessions.IsEmpty)
            _byUser.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, ServerSession>>(userId, sessions));
    }

    public IReadOnlyCollection<ServerSession> Of(string userId) =>
        _byUser.TryGetValue(userId, out var sessions) ? [.. sessions.Values] : [];

    public IEnumerable<string> Users => _byUser.Keys;
}
