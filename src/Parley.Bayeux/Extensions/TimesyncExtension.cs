using System.Text.Json.Nodes;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Extensions;

/// <summary>
/// The timesync extension: a meta message carrying <c>ext.timesync {tc,l,o}</c> gets a reply with
/// <c>{tc,ts,p,a}</c> — the client's send time, the server time, the server's processing time and
/// the offset the server estimates — so the client can compute lag and clock offset.
/// </summary>
public sealed class TimesyncExtension(TimeProvider time) : IBayeuxExtension
{
    /// <inheritdoc />
    public void OutgoingReply(ServerSession? session, BayeuxMessage request, BayeuxMessage reply)
    {
        if (!request.IsMeta || request.GetExt("timesync") is not JsonObject sync)
            return;
        if (!TryGetLong(sync, "tc", out var tc))
            return;
        TryGetLong(sync, "l", out var lag);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var processing = request.ReceivedAtUnixMs > 0 ? Math.Max(0, now - request.ReceivedAtUnixMs) : 0;
        reply.SetExt("timesync", new JsonObject
        {
            ["tc"] = tc,
            ["ts"] = now,
            ["p"] = processing,
            ["a"] = now - tc - lag,
        });
    }

    private static bool TryGetLong(JsonObject obj, string name, out long value)
    {
        value = 0;
        return obj.TryGetPropertyValue(name, out var node) && node is JsonValue v
            && (v.TryGetValue(out value) || (v.TryGetValue(out double d) && (value = (long)d) == value));
    }
}
