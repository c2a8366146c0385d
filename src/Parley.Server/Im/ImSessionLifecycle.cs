using System.Text.Json;
using Microsoft.Extensions.Options;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Server;
using Parley.Bayeux.Sessions;
using Parley.Chat;
using Parley.Chat.Accounts;
using Parley.Chat.Cluster;
using Parley.Chat.Notifications;
using Parley.Chat.Presence;

namespace Parley.Server.Im;

/// <summary>
/// Ties Bayeux sessions to people: registers signed-in sessions, applies the login policy
/// (KickPrevious: older sessions hear "kicked" and get reconnect "none", on this node and,
/// through the cluster directory, on the others), feeds presence, and tells every session to
/// resynchronize after a backplane outage.
/// </summary>
internal sealed partial class ImSessionLifecycle(
    BayeuxServer bayeux, ImSessions sessions, PresenceService presence, AccountService accounts, IClusterDirectory directory,
    IOptions<ChatOptions> options, ILogger<ImSessionLifecycle> logger)
{
    public void Attach()
    {
        bayeux.SessionAdded += OnAdded;
        bayeux.SessionRemoved += OnRemoved;
        bayeux.BackplaneRestored += ResyncAll;
        accounts.PasswordChanged += userId => KickAll(userId, "password_changed");
        directory.SignalReceived += OnSignal;
    }

    private void OnAdded(ServerSession session)
    {
        if (session.UserId is not { } userId)
            return;
        if (options.Value.LoginPolicy == LoginPolicy.KickPrevious)
        {
            KickOthers(userId, session.Browser, "signed_in_elsewhere");
            Signal(new ClusterSignal(ClusterSignal.SignedIn, userId, session.Id, session.Browser));
        }
        sessions.Add(userId, session);
        presence.SessionStarted(userId, session.Id);
    }

    /// <summary>Ends every session of a user (their password changed), here and on the other nodes: each hears "kicked" with the reason.</summary>
    public void KickAll(string userId, string reason)
    {
        KickOthers(userId, browser: null, reason);
        Signal(new ClusterSignal(ClusterSignal.KickAll, userId, Data: reason));
    }

    // Tabs of one browser are the same person at the same device: they all stay.
    private void KickOthers(string userId, string? browser, string reason)
    {
        var older = sessions.Of(userId);
        if (older.Count == 0)
            return;
        var kicked = BayeuxCodec.EncodeDelivery(BayeuxChatNotifier.UserChannel(userId), ImJson.ToElement(new KickedEvent(reason)));
        foreach (var session in older)
        {
            if (browser is not null && session.Browser == browser)
                continue;
            Kick(userId, session, kicked);
        }
    }

    // A kicked session is gone for the IM at once (presence, delivery registry), even before
    // its client picks up the last connect reply.
    private void Kick(string userId, ServerSession session, EncodedMessage kicked)
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

    private void OnSignal(ClusterSignal signal)
    {
        switch (signal.Kind)
        {
            case ClusterSignal.SignedIn when options.Value.LoginPolicy == LoginPolicy.KickPrevious:
                KickOthers(signal.UserId, signal.Browser, "signed_in_elsewhere");
                break;
            case ClusterSignal.KickAll:
                KickOthers(signal.UserId, browser: null, signal.Data ?? "kicked");
                break;
            case ClusterSignal.Notice when signal.Data is { } data:
                try
                {
                    using var json = JsonDocument.Parse(data);
                    sessions.DeliverToEveryone(json.RootElement.Clone());
                }
                catch (JsonException ex)
                {
                    Log.BadSignal(logger, signal.Kind, ex);
                }
                break;
        }
    }

    // Broadcasts sent while the backplane was down are lost; the messages are in the store.
    private void ResyncAll()
    {
        Log.Resyncing(logger, sessions.Users.Count());
        sessions.DeliverToEveryone(ImJson.ToElement(new ResyncEvent()));
    }

    private void Signal(ClusterSignal signal) => _ = SignalAsync(signal);

    private async Task SignalAsync(ClusterSignal signal)
    {
        try
        {
            await directory.SendAsync(signal);
        }
        catch (Exception ex)
        {
            Log.SignalFailed(logger, signal.Kind, signal.UserId, ex);
        }
    }
}
