using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Extensions;

/// <summary>
/// A hook on every message through the server. Incoming: may refuse a message (set
/// <see cref="BayeuxMessage.Error"/>) or delete it (return false: <c>404::message_deleted</c>).
/// Outgoing: may add to each reply, and sees each broadcast once, before it is encoded.
/// </summary>
public interface IBayeuxExtension
{
    /// <summary>Called for each incoming message before it is handled. <paramref name="session"/> is null for handshakes and unknown clients.</summary>
    ValueTask<bool> IncomingAsync(ServerSession? session, BayeuxMessage message, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    /// <summary>Called for each reply the server sends back to <paramref name="request"/>.</summary>
    void OutgoingReply(ServerSession? session, BayeuxMessage request, BayeuxMessage reply)
    {
    }

    /// <summary>Called once per broadcast before fan-out; may change <see cref="BayeuxMessage.Data"/>, or return false to drop it.</summary>
    bool OutgoingPublish(BayeuxMessage publish) => true;
}
