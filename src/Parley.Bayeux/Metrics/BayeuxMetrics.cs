using System.Diagnostics.Metrics;

namespace Parley.Bayeux.Metrics;

/// <summary>
/// Counters of the Bayeux engine, exported both as a <see cref="Meter"/> ("Parley.Bayeux") and as
/// plain numbers for the Prometheus endpoint. Gauges (sessions, held connects, queue depth) are
/// computed when read, so the hot path only increments counters.
/// </summary>
public sealed class BayeuxMetrics : IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "Parley.Bayeux";

    private readonly Meter _meter;
    private long _handshakes;
    private long _handshakesRefused;
    private long _publishes;
    private long _deliveries;
    private long _dropped;
    private long _rateLimited;
    private long _expired;
    private long _overloaded;
    private long _backplaneIn;

    /// <summary>Creates the counters; <paramref name="gauges"/> supplies the computed values.</summary>
    public BayeuxMetrics(Func<GaugeSnapshot>? gauges = null)
    {
        Gauges = gauges ?? (() => default);
        _meter = new Meter(MeterName);
        _meter.CreateObservableCounter("bayeux.handshakes", () => Volatile.Read(ref _handshakes));
        _meter.CreateObservableCounter("bayeux.publishes", () => Volatile.Read(ref _publishes));
        _meter.CreateObservableCounter("bayeux.deliveries", () => Volatile.Read(ref _deliveries));
        _meter.CreateObservableCounter("bayeux.dropped", () => Volatile.Read(ref _dropped));
        _meter.CreateObservableGauge("bayeux.sessions", () => Gauges().Sessions);
        _meter.CreateObservableGauge("bayeux.held_connects", () => Gauges().HeldConnects);
        _meter.CreateObservableGauge("bayeux.queued", () => Gauges().QueuedMessages);
    }

    /// <summary>Computes the gauges.</summary>
    public Func<GaugeSnapshot> Gauges { get; set; }

    /// <summary>Successful handshakes.</summary>
    public long Handshakes => Volatile.Read(ref _handshakes);
    /// <summary>Refused handshakes (denied or overloaded).</summary>
    public long HandshakesRefused => Volatile.Read(ref _handshakesRefused);
    /// <summary>Broadcasts published (by clients, server code or other nodes).</summary>
    public long Publishes => Volatile.Read(ref _publishes);
    /// <summary>Messages queued to sessions.</summary>
    public long Deliveries => Volatile.Read(ref _deliveries);
    /// <summary>Messages dropped by queue overflow.</summary>
    public long Dropped => Volatile.Read(ref _dropped);
    /// <summary>Publishes refused by the rate limit.</summary>
    public long RateLimited => Volatile.Read(ref _rateLimited);
    /// <summary>Sessions removed by expiry.</summary>
    public long Expired => Volatile.Read(ref _expired);
    /// <summary>Requests refused with 503.</summary>
    public long Overloaded => Volatile.Read(ref _overloaded);
    /// <summary>Broadcasts received from other nodes.</summary>
    public long BackplaneReceived => Volatile.Read(ref _backplaneIn);

    internal void Handshake() => Interlocked.Increment(ref _handshakes);
    internal void HandshakeRefused() => Interlocked.Increment(ref _handshakesRefused);
    internal void Publish() => Interlocked.Increment(ref _publishes);
    internal void Delivered(int count) => Interlocked.Add(ref _deliveries, count);
    internal void Drop() => Interlocked.Increment(ref _dropped);
    internal void RateLimit() => Interlocked.Increment(ref _rateLimited);
    internal void Expire() => Interlocked.Increment(ref _expired);
    /// <summary>Counts a request refused for overload (transports call it too).</summary>
    public void Overload() => Interlocked.Increment(ref _overloaded);
    internal void BackplaneIn() => Interlocked.Increment(ref _backplaneIn);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}

/// <summary>Point-in-time gauges of the engine.</summary>
public readonly record struct GaugeSnapshot(long Sessions, long HeldConnects, long QueuedMessages, IReadOnlyDictionary<string, long>? SessionsByTransport);
