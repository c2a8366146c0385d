using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Bayeux.Channels;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Extensions;

/// <summary>
/// The CometD ack extension (server side): a client that handshakes with <c>ext.ack:true</c> gets
/// every delivery through <c>/meta/connect</c>, numbered by batch, and anything it has not
/// acknowledged is sent again while the session lives.
/// </summary>
public sealed class AcknowledgeExtension : IBayeuxExtension
{
    /// <inheritdoc />
    public ValueTask<bool> IncomingAsync(ServerSession? session, BayeuxMessage message, CancellationToken cancellationToken)
    {
        if (session is not null && message.Channel == ChannelName.Connect && message.GetExt("ack") is JsonValue ack
            && ack.GetValueKind() == JsonValueKind.Number && ack.TryGetValue(out long batch))
        {
            session.Acknowledge(batch);
        }
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public void OutgoingReply(ServerSession? session, BayeuxMessage request, BayeuxMessage reply)
    {
        if (session is null || reply.Channel != ChannelName.Handshake || reply.Successful != true)
            return;
        if (request.GetExt("ack") is JsonValue wanted && wanted.GetValueKind() == JsonValueKind.True)
        {
            session.EnableAck();
            reply.SetExt("ack", true);
        }
    }
}
