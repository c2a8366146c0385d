using System.Diagnostics;
using System.Globalization;
using System.Text;
using Parley.Bench.Bayeux;
using Parley.Bench.Cli;
using Parley.Bench.Metrics;
using Parley.Bench.Net;
using Parley.Bench.Reporting;

namespace Parley.Bench.Scenarios;

/// <summary>
/// The chat-room benchmark of CometD: every client subscribes to a few rooms (open channels
/// <c>/bench/room/N</c>); at the offered rate, batches of messages are published by the clients in
/// turn to one of their rooms; every subscriber of the room receives each message. Each message
/// carries its send time and its numbering; receivers record latency and tick one bit per
/// expected delivery, so loss and duplicates are exact. With several URLs (a cluster's nodes),
/// client <c>g</c> talks to URL <c>g mod n</c>; <c>--publish-on first</c> lets only the clients of
/// the first URL publish, and deliveries are split by path: <c>same-node</c> when the receiver is
/// on the publisher's URL, <c>cross-node</c> otherwise (through the backplane).
/// </summary>
internal sealed class FanoutScenario : IScenarioRunner, IDeliverySink
{
    private const string SameNode = "same-node", CrossNode = "cross-node";
    private readonly ServerUrls _urls;
    private readonly bool _publishOnFirst;
    private readonly string _transport;
    private readonly int _clientsTotal, _rooms, _roomsPerClient, _batchSize, _messageSize, _concurrency;
    private readonly double _rate, _duration, _drain;
    private readonly Part _part;
    private readonly int _from;
    private readonly long[] _subscribers;
    private readonly long[] _roomSeq;
    private readonly long[] _warmSeq;
    private long _warmDeliveries;

    // Several URLs only: subscribers and messages sent per (room, URL), deliveries per path.
    private readonly long[] _subscribersByUrl = [], _sentByUrl = [];
    private readonly Latency _sameLatency = new(), _crossLatency = new();
    private long _sameUnique, _crossUnique, _sameDuplicates, _crossDuplicates;
    private readonly LocalEndpoints _endpoints;
    private readonly ClientStats _stats = new();
    private readonly Latency _latency = new();
    private readonly Latency _setupLatency = new();
    private readonly List<BayeuxClient> _clients = [];
    private long _unique, _duplicates, _lastDelivery, _misrouted;
    private int _opened;
    private volatile bool _closed;
    private double _setupSeconds;

    private sealed class ClientState(int[] rooms)
    {
        public readonly int[] Rooms = rooms;
        public readonly Dictionary<int, SeenSet> Seen = [];
        public long Seq;
        public int NextRoom;
    }

    public FanoutScenario(Args args, Part part)
    {
        _urls = ServerUrls.Parse(args.Str("url", ServerUrls.Default));
        _publishOnFirst = args.Str("publish-on", "all") switch
        {
            "all" => false,
            "first" => true,
            var v => throw new ArgumentException($"--publish-on is all or first, not '{v}'"),
        };
        _transport = args.Str("transport", "websocket");
        _clientsTotal = args.Int("clients", 1000);
        _rooms = args.Int("rooms", 10);
        _roomsPerClient = Math.Min(args.Int("rooms-per-client", 1), _rooms);
        _rate = args.Double("rate", 1000);
        _batchSize = Math.Max(1, args.Int("batch-size", 1));
        _messageSize = args.Int("message-size", 64);
        _duration = args.Double("duration", 30);
        _drain = args.Double("drain", 10);
        _concurrency = args.Int("setup-concurrency", 100);
        _endpoints = new LocalEndpoints(args.Int("local-addrs", 1));
        _part = part;
        _subscribers = new long[_rooms];
        _roomSeq = new long[_rooms];
        _warmSeq = new long[_rooms];
        var n = _urls.Count;
        if (n > 1)
        {
            _subscribersByUrl = new long[_rooms * n];
            _sentByUrl = new long[_rooms * n];
        }
        for (var g = 0; g < _clientsTotal; g++)
        {
            foreach (var r in RoomsOf(g))
            {
                _subscribers[r]++;
                if (n > 1)
                    _subscribersByUrl[r * n + _urls.IndexOf(g)]++;
            }
        }
        (_from, var to) = part.Range(_clientsTotal);
        for (var g = _from; g < to; g++)
            _clients.Add(BayeuxClient.Create(_transport, g, _urls.For(g), _endpoints, _stats, this));
    }

    private int[] RoomsOf(int client)
    {
        var rooms = new int[_roomsPerClient];
        for (var j = 0; j < _roomsPerClient; j++)
            rooms[j] = (int)(((long)client * _roomsPerClient + j) % _rooms);
        return rooms;
    }

    private static string Room(int r) => "/bench/room/" + r.ToString(CultureInfo.InvariantCulture);

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        foreach (var c in _clients)
            c.State = new ClientState(RoomsOf(c.Index));
        (_opened, _setupSeconds) = await SessionSetup.OpenAllAsync(
            _clients, _ => null, c => [.. ((ClientState)c.State!).Rooms.Select(Room)],
            _concurrency, 0, _setupLatency, _stats, cancellationToken);
    }

    /// <summary>
    /// The same publishing as the measured window, before it: the server's JIT tiers up and its
    /// pools grow. Warm-up messages are numbered apart (k &lt; 0); receivers only count them.
    /// </summary>
    public async Task WarmUpAsync(double seconds, CancellationToken cancellationToken)
    {
        if (seconds <= 0)
            return;
        var load = new OpenLoop();
        await PublishForAsync(seconds, warm: true, load, cancellationToken);
        // Let the last warm-up deliveries arrive, so they do not land in the window.
        var quietSince = Stopwatch.GetTimestamp();
        var deadline = Stopwatch.GetTimestamp() + 10 * Stopwatch.Frequency;
        var last = Interlocked.Read(ref _warmDeliveries);
        while (Stopwatch.GetTimestamp() < deadline && Latency.MicrosSince(quietSince) < 500_000)
        {
            await Task.Delay(50, cancellationToken);
            var now = Interlocked.Read(ref _warmDeliveries);
            if (now != last || load.Running > 0)
                quietSince = Stopwatch.GetTimestamp();
            last = now;
        }
    }

    /// <summary>Publishes at the offered rate for <paramref name="seconds"/>; returns messages published.</summary>
    private async Task<long> PublishForAsync(double seconds, bool warm, OpenLoop load, CancellationToken cancellationToken)
    {
        var publishers = _clients.Where(c => c.Alive && (!_publishOnFirst || _urls.IndexOf(c.Index) == 0)).ToArray();
        if (publishers.Length == 0)
            return 0;
        var padding = new string('x', Math.Max(0, _messageSize - 60));
        var batches = await load.RunAsync(seconds, _rate / _part.Count / _batchSize, i =>
        {
            var client = publishers[i % publishers.Length];
            return client.PublishAsync(Batch(client, padding, warm), cancellationToken);
        }, cancellationToken);
        return batches * _batchSize;
    }

    public async Task<ProcessReport> RunAsync(CancellationToken cancellationToken)
    {
        var window = new ResourceWindow([]);
        await using var probe = new SchedulingProbe();
        window.Start();
        var rate = _rate / _part.Count;
        var start = Stopwatch.GetTimestamp();
        Volatile.Write(ref _lastDelivery, start);
        var load = new OpenLoop();
        var published = await PublishForAsync(_duration, warm: false, load, cancellationToken);
        var publishSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        // Drain: until every expected delivery arrived (one process knows them all) or nothing came for 3 s.
        var expectedLocal = _part.Count == 1 ? Expected() : long.MaxValue;
        var drainStart = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(drainStart).TotalSeconds < _drain)
        {
            if (Interlocked.Read(ref _unique) >= expectedLocal)
                break;
            if (Latency.MicrosSince(Volatile.Read(ref _lastDelivery)) > 3_000_000 && load.Running == 0)
                break;
            await Task.Delay(20, cancellationToken);
        }
        _closed = true;
        await window.StopAsync();
        var lastDelivery = Volatile.Read(ref _lastDelivery);
        var report = new ProcessReport
        {
            Process = _part.Index,
            SessionsRequested = _clients.Count,
            SessionsOpened = _opened,
            SessionsByUrl = SessionSetup.OpenedByUrl(_clients, _urls),
            SetupSeconds = _setupSeconds,
            WindowSeconds = publishSeconds,
            DeliverySeconds = Math.Max(publishSeconds, (lastDelivery - start) / (double)Stopwatch.Frequency),
            Published = published,
            OfferedRate = rate,
            ExpectedDeliveries = Expected(),
            Deliveries = Interlocked.Read(ref _unique),
            Duplicates = Interlocked.Read(ref _duplicates),
            PublishAcks = Interlocked.Read(ref _stats.PublishAcks),
            PublishErrors = Interlocked.Read(ref _stats.PublishErrors),
            ConnectCycles = Interlocked.Read(ref _stats.ConnectCycles),
            GeneratorCpuSeconds = window.GeneratorCpuSeconds,
            GeneratorCores = window.GeneratorCores,
            MachineBusy = window.MachineBusy,
            Errors = new Dictionary<string, long>(_stats.Errors),
            Latency = _latency.Export(),
            SetupLatency = _setupLatency.Export(),
            TimerLateness = probe.TimerLateness.Export(),
            QueueDelay = probe.QueueDelay.Export(),
        };
        if (_urls.Count > 1)
        {
            var (same, cross) = ExpectedByPath();
            report.PathLatency = new() { [SameNode] = _sameLatency.Export(), [CrossNode] = _crossLatency.Export() };
            report.PathCounts = new()
            {
                [SameNode] = [same, Interlocked.Read(ref _sameUnique), Interlocked.Read(ref _sameDuplicates)],
                [CrossNode] = [cross, Interlocked.Read(ref _crossUnique), Interlocked.Read(ref _crossDuplicates)],
            };
            if (_part.Index == 0)
                report.Notes.Add(_publishOnFirst
                    ? $"{_urls.Count} URLs, clients round-robin; only the clients of the first URL publish"
                    : $"{_urls.Count} URLs, clients round-robin; every client publishes");
            if (_part.Index == 0 && RoomsMissingAUrl() is > 0 and var missing)
                report.Notes.Add($"{missing} of {_rooms} rooms have no subscriber on some URL (choose --rooms coprime with the number of URLs)");
        }
        report.Counts["maxPublishesInFlight"] = load.MostRunning;
        report.Counts["warmUpDeliveries"] = Interlocked.Read(ref _warmDeliveries);
        report.Counts["misroutedDeliveries"] = Interlocked.Read(ref _misrouted);
        if (Interlocked.Read(ref _misrouted) > 0)
            report.Errors["delivery: message of a room the client is not in"] = _misrouted;
        return report;
    }

    /// <summary>Deliveries the messages this process published should cause (every subscriber of the room, everywhere).</summary>
    private long Expected()
    {
        long sum = 0;
        for (var r = 0; r < _rooms; r++)
            sum += Interlocked.Read(ref _roomSeq[r]) * _subscribers[r];
        return sum;
    }

    /// <summary>Expected deliveries of this process's messages, split by path.</summary>
    private (long Same, long Cross) ExpectedByPath()
    {
        var n = _urls.Count;
        long same = 0, all = 0;
        for (var r = 0; r < _rooms; r++)
        {
            long roomSubscribers = 0;
            for (var u = 0; u < n; u++)
                roomSubscribers += _subscribersByUrl[r * n + u];
            for (var u = 0; u < n; u++)
            {
                var sent = Interlocked.Read(ref _sentByUrl[r * n + u]);
                same += sent * _subscribersByUrl[r * n + u];
                all += sent * roomSubscribers;
            }
        }
        return (same, all - same);
    }

    private int RoomsMissingAUrl()
    {
        var n = _urls.Count;
        var missing = 0;
        for (var r = 0; r < _rooms; r++)
        {
            for (var u = 0; u < n; u++)
            {
                if (_subscribersByUrl[r * n + u] == 0)
                {
                    missing++;
                    break;
                }
            }
        }
        return missing;
    }

    private ReadOnlyMemory<byte> Batch(BayeuxClient client, string padding, bool warm)
    {
        var st = (ClientState)client.State!;
        var room = st.Rooms[st.NextRoom++ % st.Rooms.Length];
        var channel = Room(room);
        if (_urls.Count > 1 && !warm)
            Interlocked.Add(ref _sentByUrl[room * _urls.Count + _urls.IndexOf(client.Index)], _batchSize);
        return BayeuxClient.Frame(w =>
        {
            for (var i = 0; i < _batchSize; i++)
            {
                var k = warm ? Interlocked.Decrement(ref _warmSeq[room]) : Interlocked.Increment(ref _roomSeq[room]);
                w.WriteStartObject();
                w.WriteString("channel"u8, channel);
                w.WriteString("clientId"u8, client.ClientId);
                w.WriteStartObject("data"u8);
                w.WriteNumber("o"u8, _part.Index);
                w.WriteNumber("r"u8, room);
                w.WriteNumber("k"u8, k);
                w.WriteNumber("p"u8, client.Index);
                w.WriteNumber("s"u8, ++st.Seq);
                w.WriteNumber("t"u8, Stopwatch.GetTimestamp());
                w.WriteString("x"u8, padding);
                w.WriteEndObject();
                w.WriteString("id"u8, client.NextId().ToString(CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }
        });
    }

    public void OnDelivery(BayeuxClient client, ref WireMessage message)
    {
        if (_closed)
            return; // after the drain: counted as lost
        var now = Stopwatch.GetTimestamp();
        if (!WireParser.TryReadPayload(message.Data, out var p))
        {
            _stats.Error("delivery", "not a benchmark payload: " + Encoding.UTF8.GetString(message.Data[..Math.Min(80, message.Data.Length)]));
            return;
        }
        if (p.RoomSeq < 0)
        {
            Interlocked.Increment(ref _warmDeliveries); // a warm-up message: not measured
            return;
        }
        var micros = (now - p.SentAt) * 1_000_000 / Stopwatch.Frequency;
        _latency.RecordMicros(micros);
        var st = (ClientState)client.State!;
        if (Array.IndexOf(st.Rooms, p.Room) < 0)
        {
            Interlocked.Increment(ref _misrouted);
            return;
        }
        var key = p.Origin * _rooms + p.Room;
        if (!st.Seen.TryGetValue(key, out var seen))
            st.Seen[key] = seen = new SeenSet();
        var fresh = seen.Add(p.RoomSeq);
        if (fresh)
            Interlocked.Increment(ref _unique);
        else
            Interlocked.Increment(ref _duplicates);
        if (_urls.Count > 1)
        {
            if (_urls.IndexOf(p.Publisher) == _urls.IndexOf(client.Index))
            {
                _sameLatency.RecordMicros(micros);
                Interlocked.Increment(ref fresh ? ref _sameUnique : ref _sameDuplicates);
            }
            else
            {
                _crossLatency.RecordMicros(micros);
                Interlocked.Increment(ref fresh ? ref _crossUnique : ref _crossDuplicates);
            }
        }
        Volatile.Write(ref _lastDelivery, now);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Parallel.ForEachAsync(_clients, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cts.Token }, async (c, ct) =>
        {
            try
            {
                await c.DisconnectAsync(ct);
                await c.DisposeAsync();
            }
            catch (OperationCanceledException)
            {
            }
        }).ContinueWith(static _ => { }, TaskScheduler.Default);
        _endpoints.Dispose();
    }
}
