using System.Text;
using System.Text.Json;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Tests.Support;

/// <summary>What a transport would write for one connect: why it woke, the reply, and the deliveries before it.</summary>
internal sealed record ConnectAnswer(ConnectWake Wake, BayeuxMessage? Reply, List<EncodedMessage> Deliveries)
{
    public JsonElement[] DeliveryJson => [.. Deliveries.Select(d => Json.Parse(Encoding.UTF8.GetString(d.Utf8Json.Span)))];
}
