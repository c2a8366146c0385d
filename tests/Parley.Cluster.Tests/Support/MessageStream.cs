using System.Diagnostics;
using System.Text.Json.Nodes;
using Parley.Testing;

namespace Parley.Cluster.Tests.Support;

/// <summary>
/// A stream of numbered direct messages from one person to another, sent the way a careful
/// client sends: each with its own clientMsgId, and when a send fails (its node died, the store
/// was down) the same message again after reconnecting, until the server confirms it.
/// </summary>
public sealed class MessageStream(ImClient from, ImClient to, int count)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public int Count { get; } = count;

    /// <summary>How many sends failed and were retried (the stream crossed a failure).</summary>
    public int Retries { get; private set; }

    public static string Body(int i) => $"消息 {i} 🚀";

    public static string ClientMsgId(string run, int i) => $"{run}-{i}";

    /// <summary>Sends message <paramref name="i"/>; reconnects <c>from</c> through its endpoint and retries until confirmed.</summary>
    public async Task SendAsync(string run, int i)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                var result = await from.CallAsync("send", new JsonObject { ["to"] = to.UserId, ["body"] = Body(i), ["clientMsgId"] = ClientMsgId(run, i) });
                if (result.Bool("ok") == true)
                    return;
            }
            catch (Exception ex) when (ex is not TimeoutException || Stopwatch.GetElapsedTime(started) < Patience)
            {
                // The session or its node is gone: sign in to the session layer again, wherever nginx sends us.
                await ReconnectAsync(from, started);
            }
            Retries++;
            if (Stopwatch.GetElapsedTime(started) > Patience)
                throw new TimeoutException($"message {i} was not confirmed within {Patience.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    /// <summary>Connects again (a new handshake) until it works or the patience runs out.</summary>
    public static async Task ReconnectAsync(ImClient client, long started)
    {
        while (true)
        {
            try
            {
                _ = client.Deliveries; // keep what the old session received
                await client.ConnectAsync();
                return;
            }
            catch (Exception) when (Stopwatch.GetElapsedTime(started) < Patience)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>
    /// What the recipient ends with, as a client would (docs/api.md, "Staying in step"): the messages
    /// pushed to it, then a sync from its cursor; de-duplicated by (conv, seq). Checks that nothing is missing, nothing
    /// is there twice, and the conversation's seqs run 1..N with no gap.
    /// </summary>
    public async Task VerifyAsync(string run)
    {
        var pushed = to.Events("message", d => d.Str("clientMsgId")?.StartsWith(run + "-", StringComparison.Ordinal) == true);
        var conv = pushed.Count > 0 ? pushed[0].Str("conv")! : null;
        // The cursor advances only over a contiguous run (the conversation is new: it starts at 1);
        // a gap means something is still on its way, and sync fills it.
        var held = pushed.Select(d => d.Long("seq")!.Value).ToHashSet();
        long cursor = 0;
        while (held.Contains(cursor + 1))
            cursor++;
        var synced = await to.SyncAllAsync(conv is null ? null : new Dictionary<string, long> { [conv] = cursor });
        var seen = new Dictionary<long, string>();
        foreach (var (seq, clientMsgId) in pushed.Select(d => (d.Long("seq")!.Value, d.Str("clientMsgId")!))
                     .Concat(synced.Where(m => m.Str("clientMsgId")?.StartsWith(run + "-", StringComparison.Ordinal) == true).Select(m => (m.Long("seq")!.Value, m.Str("clientMsgId")!))))
        {
            if (seen.TryGetValue(seq, out var earlier))
                Assert.Equal(earlier, clientMsgId); // the same message seen twice is fine; two messages with one seq is not
            seen[seq] = clientMsgId;
        }
        // Every message of the run is there exactly once.
        var ids = seen.Values.ToList();
        Assert.Equal(Count, ids.Distinct().Count());
        Assert.Equal(Count, ids.Count);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => ClientMsgId(run, i)).Order(), ids.Order());
        // Confirmed through a full sync from the start: the store holds each once, in one unbroken run of seqs.
        var all = (await to.SyncAllAsync()).Where(m => m.Str("clientMsgId")?.StartsWith(run + "-", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(Count, all.Count);
        var seqs = all.Select(m => m.Long("seq")!.Value).Order().ToList();
        Assert.Equal(Enumerable.Range((int)seqs[0], Count).Select(i => (long)i), seqs);
        Assert.All(all, m => Assert.Equal(Body(int.Parse(m.Str("clientMsgId")![(run.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture)), m.Str("body")));
    }
}
