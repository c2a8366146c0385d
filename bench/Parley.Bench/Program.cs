using System.Text.Json;
using Parley.Bench;
using Parley.Bench.Cli;
using Parley.Bench.Reporting;

Args options;
try
{
    options = Args.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(Usage.Text);
    return 2;
}
if (options.Scenario is "help" or "-h" || options.Flag("help"))
{
    Console.WriteLine(Usage.Text);
    return 0;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, Environment.ProcessorCount * 4), io);

try
{
    if (options.Has("child-index"))
        return await ChildProcess.RunChildAsync(options, cts.Token);

    var smoke = options.Flag("smoke");
    if (smoke)
    {
        options = Smoke.Apply(options);
        options.Flag("smoke"); // read, so that it is not reported as unused
    }
    if (options.Flag("find-limit"))
        return await LimitFinder.RunAsync(options, cts.Token);

    var result = await Orchestrator.RunAsync(options, cts.Token);
    Console.Write(Summary.Of(result));
    if (options.StrOrNull("json") is { } path)
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, Orchestrator.Json), cts.Token);
    foreach (var unused in options.Int("processes", 1) > 1 ? Enumerable.Empty<string>() : options.Unused())
        Console.Error.WriteLine($"warning: option --{unused} was not used by {options.Scenario}");
    return smoke && !result.Ok ? 1 : 0;
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return 130;
}
