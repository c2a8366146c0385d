namespace Parley.Bayeux.Backplane;

/// <summary>A broadcast that arrived from another node: the channel and the message as encoded there.</summary>
public readonly record struct BackplaneMessage(string OriginNodeId, string Channel, ReadOnlyMemory<byte> Utf8Json);
