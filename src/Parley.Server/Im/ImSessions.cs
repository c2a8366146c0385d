using System.Collections.Concurrent;
using System.Text.Json;
using Parley.Bayeux.Messages;
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

    /// <summary>Delivers an event to every signed-in session of this node, on each user's own channel.</summary>
    public void DeliverToEveryone(JsonElement data)
    {
        foreach (var (userId, byId) in _byUser)
        {
            var message = BayeuxCodec.EncodeDelivery(BayeuxChatNotifier.UserChannel(userId), data);
            foreach (var session in byId.Values)
                session.Deliver(message);
        }
    }
}
