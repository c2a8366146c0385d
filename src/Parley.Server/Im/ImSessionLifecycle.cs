using Microsoft.Extensions.Options;
using Parley.Bayeux.Server;
using Parley.Bayeux.Sessions;
using Parley.Chat;
using Parley.Chat.Accounts;
using Parley.Chat.Notifications;
using Parley.Chat.Presence;

namespace Parley.Server.Im;

/// <summary>
/// Ties Bayeux sessions to people: registers signed-in sessions, applies the login policy
/// (KickPrevious: older sessions hear "kicked" and get reconnect "none"), and feeds presence.
/// </summary>
internal sealed partial class ImSessionLifecycle(BayeuxServer bayeux, ImSessions sessions, PresenceService presence, AccountService accounts, IOptions<ChatOptions> options, ILogger<ImSessionLifecycle> logger)
{
    public void Attach()
    {
        bayeux.SessionAdded += OnAdded;
        bayeux.SessionRemoved += OnRemoved;
        accounts.PasswordChanged += userId => KickAll(userId, "password_changed");
    }

    private void OnAdded(ServerSession session)
    {
        if (session.UserId is not { } userId)
            return;
        if (options.Value.LoginPolicy == LoginPolicy.KickPrevious)
        {
            var kicked = Parley.Bayeux.Messages.BayeuxCodec.EncodeDelivery(BayeuxChatNotifier.UserChannel(userId), ImJson.ToElement(new KickedEvent("signed_in_elsewhere")));
            foreach (var older in sessions.Of(userId))
            {
                // Tabs of one browser are the same person at the same device: they all stay.
                if (session.Browser is not null && older.Browser == session.Browser)
                    continue;
                Kick(userId, older, kicked);
            }
        }
        sessions.Add(userId, session);
        presence.SessionStarted(userId, session.Id);
    }

    /// <summary>Ends every session of a user (their password changed): each hears "kicked" with the reason.</summary>
    public void KickAll(string userId, string reason)
    {
        var kicked = Parley.Bayeux.Messages.BayeuxCodec.EncodeDelivery(BayeuxChatNotifier.UserChannel(userId), ImJson.ToElement(new KickedEvent(reason)));
        foreach (var session in sessions.Of(userId))
            Kick(userId, session, kicked);
    }

    // A kicked session is gone for the IM at once (presence, delivery registry), even before
    // its client picks up the last connect reply.
    private void Kick(string userId, ServerSession session, Parley.Bayeux.Messages.EncodedMessage kicked)
    {
        Log.Kicking(logger, userId, session.Id);
        session.Deliver(kicked);
        bayeux.Kick(session);
        sessions.Remove(userId, session);
        presence.SessionEnded(userId, session.Id);
    }

    private void OnRemoved(ServerSession session, SessionRemovalReason reason)
    {
        if (session.UserId is not { } userId)
            return;
        sessions.Remove(userId, session);
        presence.SessionEnded(userId, session.Id);
    }
}
