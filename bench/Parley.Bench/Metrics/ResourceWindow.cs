using System.Diagnostics;

namespace Parley.Bench.Metrics;

/// <summary>
/// CPU and memory of the server processes, this generator and the machine between
/// <see cref="Start"/> and <see cref="StopAsync"/>, sampled each second. Several pids (the nodes of a
/// cluster, Redis…) are tracked one by one; the single-pid properties are their totals.
/// </summary>
internal sealed class ResourceWindow
{
    private readonly int _self = Environment.ProcessId;
    private readonly int[] _pids;
    private readonly double[] _cpu0, _cpu;
    private readonly long[] _rssStart, _rssEnd, _rssPeak;
    private long _startTs;
    private double _selfCpu0, _selfCpu;
    private (long Total, long Idle, long Steal) _machine0, _machine;
    private long _peakTotalRss = -1;
    private double _seconds;
    private CancellationTokenSource? _cts;
    private Task? _sampling;

    /// <summary>Watches <paramref name="pids"/> (none: only this generator and the machine).</summary>
    public ResourceWindow(int[] pids)
    {
        _pids = pids;
        _cpu0 = new double[pids.Length];
        _cpu = new double[pids.Length];
        _rssStart = new long[pids.Length];
        _rssEnd = new long[pids.Length];
        _rssPeak = new long[pids.Length];
        Array.Fill(_rssStart, -1);
        Array.Fill(_rssEnd, -1);
        Array.Fill(_rssPeak, -1);
    }

    private bool HasServer => _pids.Length > 0;

    public long ServerRssStart => HasServer ? Sum(_rssStart) : -1;
    public long ServerRssEnd => HasServer ? Sum(_rssEnd) : -1;

    /// <summary>The highest total RSS seen at one sampling instant.</summary>
    public long ServerRssPeak => _peakTotalRss;

    public void Start()
    {
        _startTs = Stopwatch.GetTimestamp();
        _selfCpu0 = ProcSampler.CpuSeconds(_self);
        _machine0 = ProcSampler.MachineJiffies();
        for (var i = 0; i < _pids.Length; i++)
        {
            _cpu0[i] = ProcSampler.CpuSeconds(_pids[i]);
            _rssStart[i] = _rssPeak[i] = ProcSampler.RssBytes(_pids[i]);
        }
        if (HasServer)
            _peakTotalRss = Sum(_rssStart);
        _cts = new CancellationTokenSource();
        _sampling = SampleAsync(_cts.Token);
    }

    public async Task StopAsync()
    {
        if (_cts is not null)
        {
            await _cts.CancelAsync();
            await _sampling!.ContinueWith(static _ => { }, TaskScheduler.Default);
        }
        _seconds = Stopwatch.GetElapsedTime(_startTs).TotalSeconds;
        _selfCpu = ProcSampler.CpuSeconds(_self) - _selfCpu0;
        _machine = ProcSampler.MachineJiffies();
        for (var i = 0; i < _pids.Length; i++)
        {
            _cpu[i] = ProcSampler.CpuSeconds(_pids[i]) - _cpu0[i];
            _rssEnd[i] = ProcSampler.RssBytes(_pids[i]);
            _rssPeak[i] = Math.Max(_rssPeak[i], _rssEnd[i]);
        }
        if (HasServer)
            _peakTotalRss = Math.Max(_peakTotalRss, Sum(_rssEnd));
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (!HasServer)
                    continue;
                long total = 0;
                for (var i = 0; i < _pids.Length; i++)
                {
                    var rss = ProcSampler.RssBytes(_pids[i]);
                    _rssPeak[i] = Math.Max(_rssPeak[i], rss);
                    total += Math.Max(0, rss);
                }
                _peakTotalRss = Math.Max(_peakTotalRss, total);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static long Sum(long[] values)
    {
        if (values.Length == 1)
            return values[0];
        long sum = 0;
        foreach (var v in values)
            sum += Math.Max(0, v);
        return sum;
    }

    public double Seconds => _seconds;

    /// <summary>Server CPU in cores (1.0 = one core busy for the whole window), all pids together; null without a pid.</summary>
    public double? ServerCores => !HasServer || _seconds <= 0 ? null : ServerCpuSeconds / _seconds;

    public double? ServerCpuSeconds
    {
        get
        {
            if (!HasServer)
                return null;
            double sum = 0;
            foreach (var c in _cpu)
                sum += c;
            return sum;
        }
    }

    /// <summary>CPU seconds of the <paramref name="i"/>-th pid in the window.</summary>
    public double CpuSecondsOf(int i) => _cpu[i];

    public double CoresOf(int i) => _seconds <= 0 ? 0 : _cpu[i] / _seconds;

    public long RssEndOf(int i) => _rssEnd[i];

    public long RssPeakOf(int i) => _rssPeak[i];

    public double GeneratorCpuSeconds => _selfCpu;

    public double GeneratorCores => _seconds <= 0 ? 0 : _selfCpu / _seconds;

    /// <summary>Share of all the machine's CPU time stolen by the hypervisor (0..1), counted in <see cref="MachineBusy"/>.</summary>
    public double MachineSteal
    {
        get
        {
            var total = _machine.Total - _machine0.Total;
            return total <= 0 ? 0 : (double)(_machine.Steal - _machine0.Steal) / total;
        }
    }

    /// <summary>Share of all the machine's CPUs that was busy (0..1).</summary>
    public double MachineBusy
    {
        get
        {
            var total = _machine.Total - _machine0.Total;
            var idle = _machine.Idle - _machine0.Idle;
            return total <= 0 ? 0 : 1.0 - (double)idle / total;
        }
    }
}
