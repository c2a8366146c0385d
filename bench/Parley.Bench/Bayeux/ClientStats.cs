using System.Collections.Concurrent;

namespace Parley.Bench.Bayeux;

/// <summary>Counters shared by all clients of one generator process (interlocked; no per-client state).</summary>
internal sealed class ClientStats
{
    public long PublishAcks;
    public long PublishErrors;
    public long ConnectCycles;
    public long Deliveries;

    /// <summary>Every error by kind and detail ("handshake: 503::server_overloaded" → 12).</summary>
    public ConcurrentDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public long ErrorCount => Errors.Values.Sum();

    public void Error(string kind, string detail)
    {
        var key = kind + ": " + (detail.Length > 160 ? detail[..160] : detail);
        Errors.AddOrUpdate(key, 1, static (_, n) => n + 1);
    }
}
