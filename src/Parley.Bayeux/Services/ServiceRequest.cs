using System.Text.Json;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Services;

/// <summary>A publish to a <c>/service/</c> channel, handed to the handler registered for it.</summary>
public sealed class ServiceRequest(ServerSession session, BayeuxMessage message)
{
    /// <summary>The calling session.</summary>
    public ServerSession Session { get; } = session;

    /// <summary>The message as received.</summary>
    public BayeuxMessage Message { get; } = message;

    /// <summary>The service channel.</summary>
    public string Channel => Message.Channel!;

    /// <summary>The request payload (undefined when the client sent none).</summary>
    public JsonElement Data => Message.Data ?? default;
}
