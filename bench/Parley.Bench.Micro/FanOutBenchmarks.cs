using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Server;
using Parley.Bayeux.Sessions;

namespace Parley.Bench.Micro;

/// <summary>
/// One broadcast to 10,000 local sessions subscribed to its channel: the index lookup and one
/// queue append per session, with the message encoded once. Sessions are created through the
/// engine's own handshake and subscribe, as a transport would. The queues are emptied between
/// iterations, outside the measurement; a fixed invocation count keeps them below MaxQueue, so
/// every append takes the normal path (no drop-oldest).
/// </summary>
[MemoryDiagnoser]
[InvocationCount(InvocationsPerIteration)]
public class FanOutBenchmarks
{
    private const int InvocationsPerIteration = 256;
    private const string Room = "/bench/room/1";

    private BayeuxServer _server = null!;
    private ServerSession[] _sessions = [];
    private EncodedMessage _message = null!;
    private readonly List<EncodedMessage> _drained = new(InvocationsPerIteration);

    [Params(10_000)]
    public int Sessions { get; set; }

    /// <summary>When true every session is also subscribed to <c>/bench/**</c>: two groups match and each session must still get the message once.</summary>
    [Params(false, true)]
    public bool Overlap { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _server = new BayeuxServer(new BayeuxOptions
        {
            AllowAnonymous = true,
            OpenChannels = ["/bench/**"],
            PublishRatePerSecond = 0,
            MaxSessions = Sessions + 1,
            MaxQueue = InvocationsPerIteration * 2,
        });
        var subscription = JsonSerializer.SerializeToElement(Overlap ? new[] { Room, "/bench/**" } : new[] { Room });
        _sessions = new ServerSession[Sessions];
        for (var i = 0; i < Sessions; i++)
        {
            var handshake = await _server.ProcessAsync(
                [new BayeuxMessage { Channel = "/meta/handshake", Version = "1.0", SupportedConnectionTypes = ["websocket"] }],
                BenchRequestContext.WebSocket, CancellationToken.None);
            var clientId = handshake.Replies[0].ClientId ?? throw new InvalidOperationException("handshake failed: " + handshake.Replies[0].Error);
            var subscribe = await _server.ProcessAsync(
                [new BayeuxMessage { Channel = "/meta/subscribe", ClientId = clientId, Subscription = subscription }],
                BenchRequestContext.WebSocket, CancellationToken.None);
            if (subscribe.Replies[0].Successful != true)
                throw new InvalidOperationException("subscribe failed: " + subscribe.Replies[0].Error);
            _sessions[i] = _server.GetSession(clientId)!;
        }
        _message = BayeuxCodec.EncodeDelivery(Room, JsonSerializer.SerializeToElement(new { o = 0, r = 1, k = 1, p = 42, s = 1, t = 123456789012345L, x = "xxxxxxxxxxxxxxxx" }));
        var delivered = _server.FanOut(_message);
        if (delivered != Sessions)
            throw new InvalidOperationException($"delivered to {delivered} sessions, expected {Sessions}.");
        DrainAll();
    }

    [Benchmark(Description = "FanOut: one message to every session")]
    public int FanOut() => _server.FanOut(_message);

    [IterationCleanup]
    public void DrainAll()
    {
        foreach (var session in _sessions)
        {
            session.DrainForPush(_drained);
            _drained.Clear();
        }
    }

    [GlobalCleanup]
    public ValueTask CleanupAsync() => _server.DisposeAsync();
}
