using System.Globalization;
using System.Text;

namespace Parley.Bench.Reporting;

/// <summary>The readable summary of a run.</summary>
internal static class Summary
{
    public static string Of(BenchResult r)
    {
        var s = new StringBuilder();
        void Line(string text) => s.Append(text).Append('\n');
        string N(double v) => v.ToString("#,0.##", CultureInfo.InvariantCulture);
        string Mib(long bytes) => bytes < 0 ? "n/a" : (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

        Line($"== {r.Scenario} over {r.Transport} → {r.Url}  ({r.Processes} generator process{(r.Processes == 1 ? "" : "es")})");
        Line($"   parameters: {string.Join(' ', r.Parameters.Where(p => p.Key is not ("url" or "json")).Select(p => $"{p.Key}={p.Value}"))}");
        foreach (var n in r.Notes)
            Line($"   note: {n}");
        if (r.SessionsRequested > 0)
            Line($"sessions      {N(r.SessionsOpened)} of {N(r.SessionsRequested)} opened in {N(r.SetupSeconds)} s ({N(r.SessionsPerSecond)}/s)");
        if (r.SessionsByUrl is { } byUrl)
            Line($"  per URL     {string.Join(" / ", byUrl.Select(v => N(v)))} opened (clients round-robin over {byUrl.Length} URLs)");
        if (r.SetupLatencyMs is { } setup)
            Line($"  setup       {setup}");
        if (r.Scenario == "presence-badge")
            Line($"requests      {N(r.Published)} in {N(r.WindowSeconds)} s = {N(r.PublishedPerSecond)}/s" + (r.OfferedRate > 0 ? $" (offered {N(r.OfferedRate)}/s)" : " (closed loop)") + $", answered correctly {N(r.Deliveries)}");
        else if (r.Published > 0 || r.OfferedRate > 0)
            Line($"published     {N(r.Published)} in {N(r.WindowSeconds)} s = {N(r.PublishedPerSecond)}/s (offered {N(r.OfferedRate)}/s), publish errors {N(r.PublishErrors)}");
        if (r.Scenario != "presence-badge" && (r.ExpectedDeliveries > 0 || r.Deliveries > 0))
            Line($"deliveries    expected {N(r.ExpectedDeliveries)}, actual {N(r.Deliveries)}, lost {N(r.Lost)}, duplicated {N(r.Duplicates)}; {N(r.DeliveriesPerSecond)}/s");
        if (r.LatencyMs is { } lat)
            Line($"latency       {lat}");
        foreach (var path in r.Paths ?? [])
        {
            Line($"  {path.Path,-11} expected {N(path.ExpectedDeliveries)}, actual {N(path.Deliveries)}, lost {N(path.Lost)}, duplicated {N(path.Duplicates)}; {N(path.DeliveriesPerSecond)}/s");
            if (path.LatencyMs is { } pl)
                Line($"  {"",-11} {pl}");
        }
        if (r.SecondaryLatencyMs is { } sec)
            Line($"  {r.SecondaryLatencyName}: {sec}");
        foreach (var (k, v) in r.Counts.OrderBy(k => k.Key, StringComparer.Ordinal))
            Line($"  {k,-24} {N(v)}");
        foreach (var one in r.Servers ?? [])
        {
            Line($"server pid {one.Pid}{(one.Url is { } u ? $" ({u}, {N(one.Sessions ?? 0)} sessions)" : "")}: RSS {Mib(one.RssBeforeSetupBytes)} before setup, {Mib(one.RssAfterSetupBytes)} after, {Mib(one.RssEndBytes)} at end (peak {Mib(one.RssPeakBytes)})");
            Line($"  CPU {N(one.CpuSeconds)} s = {N(one.Cores)} cores" + (one.MemoryPerSessionBytes is { } op ? $"; memory per session {N(op / 1024.0)} KiB" : ""));
        }
        if (r.Server is { } srv)
        {
            Line($"server {(r.Servers is null ? $"pid {srv.Pid}" : $"total of {r.Servers.Count} pids")}: RSS {Mib(srv.RssBeforeSetupBytes)} before setup, {Mib(srv.RssAfterSetupBytes)} after, {Mib(srv.RssEndBytes)} at end (peak {Mib(srv.RssPeakBytes)})");
            if (srv.MemoryPerSessionBytes is { } per)
                Line($"  memory per session  {N(per / 1024.0)} KiB (RSS delta / sessions)");
            Line($"  CPU {N(srv.CpuSeconds)} s = {N(srv.Cores)} cores" + (srv.CpuMicrosPerDelivery is { } c ? $", {N(c)} µs per delivered message" : ""));
        }
        foreach (var (name, o) in r.OtherProcesses ?? [])
            Line($"{name} (pid {o.Pids[0]}{(o.Pids.Count > 1 ? $" + {o.Pids.Count - 1} children" : "")}): CPU {N(o.CpuSeconds)} s = {N(o.Cores)} cores, RSS {Mib(o.RssEndBytes)} at end");
        var g = r.Generator;
        Line($"generator: CPU {N(g.CpuSeconds)} s = {N(g.Cores)} cores (busiest process {N(g.MaxProcessCores)}); machine busy {g.MachineBusy.ToString("P0", CultureInfo.InvariantCulture)}" + (g.MachineSteal >= 0.005 ? $" (of which stolen by the hypervisor {g.MachineSteal.ToString("P0", CultureInfo.InvariantCulture)})" : ""));
        if (g.TimerLatenessMs is { } t)
            Line($"  timer lateness  p99 {N(t.P99)} ms, max {N(t.Max)} ms;  thread-pool queue delay p99 {N(g.QueueDelayMs?.P99 ?? 0)} ms, max {N(g.QueueDelayMs?.Max ?? 0)} ms");
        if (r.Errors.Count > 0)
        {
            Line($"ERRORS ({N(r.ErrorCount)}):");
            foreach (var (k, v) in r.Errors.OrderByDescending(e => e.Value).Take(20))
                Line($"  {v,8}  {k}");
        }
        foreach (var w in r.Warnings)
            Line($"WARN {w}");
        Line(r.Ok ? "RESULT ok: no loss, no duplicates, no errors" : "RESULT FAILED: " + Failure(r));
        return s.ToString();
    }

    public static string Failure(BenchResult r)
    {
        var parts = new List<string>();
        if (r.Lost > 0)
            parts.Add($"{r.Lost} lost");
        if (r.Duplicates > 0)
            parts.Add($"{r.Duplicates} duplicated");
        if (r.ErrorCount > 0)
            parts.Add($"{r.ErrorCount} errors");
        if (r.SessionsOpened != r.SessionsRequested)
            parts.Add($"{r.SessionsRequested - r.SessionsOpened} sessions not opened");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}
