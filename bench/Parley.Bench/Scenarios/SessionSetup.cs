using System.Diagnostics;
using Parley.Bench.Bayeux;
using Parley.Bench.Metrics;

namespace Parley.Bench.Scenarios;

/// <summary>Opens many sessions with bounded concurrency: socket, handshake, subscribe, first connect — timed each.</summary>
internal static class SessionSetup
{
    public static async Task<(int Opened, double Seconds)> OpenAllAsync(
        IReadOnlyList<BayeuxClient> clients,
        Func<BayeuxClient, string?> ext,
        Func<BayeuxClient, IReadOnlyList<string>> channels,
        int concurrency,
        double rampPerSecond,
        Latency setupLatency,
        ClientStats stats,
        CancellationToken cancellationToken)
    {
        var opened = 0;
        var start = Stopwatch.GetTimestamp();
        using var gate = new SemaphoreSlim(concurrency);
        var tasks = new List<Task>(clients.Count);
        for (var i = 0; i < clients.Count; i++)
        {
            if (rampPerSecond > 0)
            {
                // Open-loop ramp: session i starts at i / rate seconds.
                var due = TimeSpan.FromSeconds(i / rampPerSecond) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.FromMilliseconds(1))
                    await Task.Delay(due, cancellationToken);
            }
            await gate.WaitAsync(cancellationToken);
            var client = clients[i];
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    var t0 = Stopwatch.GetTimestamp();
                    if (await OpenAsync(client, ext(client), channels(client), stats, cancellationToken))
                    {
                        setupLatency.RecordSince(t0);
                        Interlocked.Increment(ref opened);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }, cancellationToken));
        }
        await Task.WhenAll(tasks);
        return (opened, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>Sessions opened against each URL; null with one URL (the report stays as it was).</summary>
    public static long[]? OpenedByUrl(IEnumerable<BayeuxClient> clients, Net.ServerUrls urls)
    {
        if (urls.Count == 1)
            return null;
        var counts = new long[urls.Count];
        foreach (var c in clients)
            if (c.Opened)
                counts[urls.IndexOf(c.Index)]++;
        return counts;
    }

    private static async Task<bool> OpenAsync(BayeuxClient client, string? ext, IReadOnlyList<string> channels, ClientStats stats, CancellationToken cancellationToken)
    {
        try
        {
            await client.OpenAsync(cancellationToken);
            var hs = await client.HandshakeAsync(ext, cancellationToken);
            if (!hs.Successful)
                return false;
            if (channels.Count > 0 && !await client.SubscribeAsync(channels, cancellationToken))
                return false;
            await client.StartConnectingAsync().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            client.Opened = client.Alive;
            return client.Alive;
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or HttpRequestException or IOException or TimeoutException)
        {
            stats.Error("open", ex.InnerException?.Message ?? ex.Message);
            return false;
        }
    }
}
