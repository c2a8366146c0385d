using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Server;

/// <summary>
/// A <c>/meta/connect</c> the transport must answer once <see cref="Completion"/> finishes (at
/// once when there is something to send, else after the timeout or an earlier wake).
/// </summary>
internal sealed class PendingConnect(ServerSession session, HeldConnect held, BayeuxMessage request, string transport)
{
    public ServerSession Session { get; } = session;
    public HeldConnect Held { get; } = held;
    public BayeuxMessage Request { get; } = request;
    public string Transport { get; } = transport;
    public bool MultipleClients { get; set; }
    public ConnectWake? Wake { get; set; }
    public Task<ConnectWake> Completion => Held.Task;
}
