using Microsoft.Extensions.Options;
using Parley.Bayeux.Server;
using Parley.Bayeux.Sessions;
using Parley.Chat;
using Parley.Chat.Notifications;
using Parley.Chat.Presence;

namespace Parley.Server.Im;

/// <summary>
/// Ties Bayeux sessions to people: registers signed-in sessions, applies the login policy
/// (KickPrevious: older sessions hear "kicked" and get reconnect "none"), and feeds presence.
/// </summary>
internal sealed partial class ImSessionLifecycle(BayeuxServer bayeux, ImSessions sessions, PresenceService presence, IOptions<ChatOptions> options, ILogger<ImSessionLifecycle> logger)
{
    public void Attach()
    {
        bayeux.SessionAdded += OnAdded;
        bayeux.SessionRemoved += OnRemoved;
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
                Log.Kicking(logger, userId, older.Id);
                older.Deliver(kicked);
                bayeux.Kick(older);
            }
        }
        sessions.Add(userId, session);
        presence.SessionStarted(userId, session.Id);
    }

    private void OnRemoved(ServerSession session, SessionRemovalReason reason)
    {
        if (session.UserId is not { } userId)
            return;
        sessions.Remove(userId, session);
        presence.SessionEnded(userId, session.Id);
    }
}
