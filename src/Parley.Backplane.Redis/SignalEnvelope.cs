using Parley.Chat.Cluster;

namespace Parley.Backplane.Redis;

/// <summary>A signal on the wire, with the node that sent it (a notice goes to every node, the sender included).</summary>
internal sealed record SignalEnvelope(string Origin, ClusterSignal Signal);
