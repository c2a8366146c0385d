using System.Diagnostics;

namespace Parley.Bench.Metrics;

/// <summary>CPU and memory of the server, this generator and the machine between <see cref="Start"/> and <see cref="Stop"/>, sampled each second.</summary>
internal sealed class ResourceWindow(int? serverPid)
{
    private readonly int _self = Environment.ProcessId;
    private long _startTs;
    private double _serverCpu0, _selfCpu0, _serverCpu, _selfCpu;
    private (long Total, long Idle) _machine0, _machine;
    private long _peakRss;
    private double _seconds;
    private CancellationTokenSource? _cts;
    private Task? _sampling;

    public long ServerRssStart { get; private set; } = -1;
    public long ServerRssEnd { get; private set; } = -1;
    public long ServerRssPeak => _peakRss;

    public void Start()
    {
        _startTs = Stopwatch.GetTimestamp();
        _selfCpu0 = ProcSampler.CpuSeconds(_self);
        _machine0 = ProcSampler.MachineJiffies();
        if (serverPid is { } pid)
        {
            _serverCpu0 = ProcSampler.CpuSeconds(pid);
            ServerRssStart = ProcSampler.RssBytes(pid);
            _peakRss = ServerRssStart;
        }
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
        if (serverPid is { } pid)
        {
            _serverCpu = ProcSampler.CpuSeconds(pid) - _serverCpu0;
            ServerRssEnd = ProcSampler.RssBytes(pid);
            _peakRss = Math.Max(_peakRss, ServerRssEnd);
        }
    }

    private async Task SampleAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
                if (serverPid is { } pid)
                    _peakRss = Math.Max(_peakRss, ProcSampler.RssBytes(pid));
        }
        catch (OperationCanceledException)
        {
        }
    }

    public double Seconds => _seconds;

    /// <summary>Server CPU in cores (1.0 = one core busy for the whole window); null without a pid.</summary>
    public double? ServerCores => serverPid is null || _seconds <= 0 ? null : _serverCpu / _seconds;

    public double? ServerCpuSeconds => serverPid is null ? null : _serverCpu;

    public double GeneratorCpuSeconds => _selfCpu;

    public double GeneratorCores => _seconds <= 0 ? 0 : _selfCpu / _seconds;

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
