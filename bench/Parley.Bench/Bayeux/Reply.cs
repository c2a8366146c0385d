namespace Parley.Bench.Bayeux;

/// <summary>The answer to a request that someone awaits (handshake, subscribe, a remoteCall).</summary>
internal sealed record Reply(bool Successful, string? Error, byte[]? Data, string? ClientId);
