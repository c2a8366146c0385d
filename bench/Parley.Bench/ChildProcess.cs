using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Parley.Bench.Cli;
using Parley.Bench.Reporting;
using Parley.Bench.Scenarios;

namespace Parley.Bench;

/// <summary>
/// A child generator process. It sets up its share of the sessions and prints <c>READY</c> (the
/// parent samples the server's memory then); on <c>WARM</c> it runs the warm-up and prints
/// <c>WARMED</c>; on <c>GO</c> (so every process starts the measured window together) it runs,
/// writes its <see cref="ProcessReport"/> to a file and exits.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _reportPath;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _warmed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _index;

    private ChildProcess(Process process, string reportPath, int index)
    {
        _process = process;
        _reportPath = reportPath;
        _index = index;
    }

    public static ChildProcess Start(Args args, int index, int count)
    {
        var reportPath = Path.Combine(Path.GetTempPath(), $"parley-bench-{Environment.ProcessId}-{index}.json");
        var childArgs = args.With(new Dictionary<string, string?>
        {
            ["processes"] = null,
            ["server-pid"] = null,
            ["other-pids"] = null,
            ["json"] = null,
            ["find-limit"] = null,
            ["child-index"] = index.ToString(CultureInfo.InvariantCulture),
            ["children"] = count.ToString(CultureInfo.InvariantCulture),
            ["report"] = reportPath,
        });
        var info = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        // Run the same program the same way: the apphost directly, or `dotnet Parley.Bench.dll`.
        var host = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            info.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        info.FileName = host;
        foreach (var a in childArgs)
            info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start a child generator");
        var child = new ChildProcess(process, reportPath, index);
        _ = child.PumpAsync();
        return child;
    }

    private async Task PumpAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line == "READY")
                _ready.TrySetResult();
            else if (line == "WARMED")
                _warmed.TrySetResult();
            else
                Console.Error.WriteLine($"[generator {_index}] {line}");
        }
        _ready.TrySetException(new InvalidOperationException($"generator process {_index} exited before it was ready"));
        _warmed.TrySetException(new InvalidOperationException($"generator process {_index} exited before it warmed up"));
    }

    public Task WaitReadyAsync(CancellationToken cancellationToken) => _ready.Task.WaitAsync(cancellationToken);

    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await SendAsync("WARM");
        await _warmed.Task.WaitAsync(cancellationToken);
    }

    public Task GoAsync() => SendAsync("GO");

    private async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public async Task<ProcessReport> WaitReportAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        if (_process.ExitCode != 0 || !File.Exists(_reportPath))
            throw new InvalidOperationException($"generator process {_index} failed (exit code {_process.ExitCode})");
        await using var stream = File.OpenRead(_reportPath);
        var report = await JsonSerializer.DeserializeAsync<ProcessReport>(stream, Orchestrator.Json, cancellationToken);
        return report ?? throw new InvalidOperationException($"generator process {_index} wrote no report");
    }

    /// <summary>The child side: set up, READY, wait for GO, run, write the report.</summary>
    public static async Task<int> RunChildAsync(Args args, CancellationToken cancellationToken)
    {
        var part = new Part(args.Int("child-index", 0), args.Int("children", 1));
        var reportPath = args.Str("report", "report.json");
        ProcessReport report;
        await using (var runner = Scenario.Create(args, part))
        {
            await runner.SetupAsync(cancellationToken);
            Console.Out.WriteLine("READY");
            await Console.Out.FlushAsync(cancellationToken);
            if (await Console.In.ReadLineAsync(cancellationToken) != "WARM")
                return 3;
            await runner.WarmUpAsync(Orchestrator.WarmUpSeconds(args), cancellationToken);
            Console.Out.WriteLine("WARMED");
            await Console.Out.FlushAsync(cancellationToken);
            var go = await Console.In.ReadLineAsync(cancellationToken);
            if (go != "GO")
                return 3;
            report = await runner.RunAsync(cancellationToken);
        }
        await using (var stream = File.Create(reportPath))
            await JsonSerializer.SerializeAsync(stream, report, Orchestrator.Json, cancellationToken);
        return 0;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            File.Delete(_reportPath);
        }
        catch (IOException)
        {
        }
    }
}
