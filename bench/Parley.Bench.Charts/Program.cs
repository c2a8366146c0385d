using System.Globalization;
using Parley.Bench.Charts;

// Reads the JSON that bench/compare.sh wrote into OUT and draws the comparison charts there.
//   dotnet bench/Parley.Bench.Charts/bin/Release/net10.0/Parley.Bench.Charts.dll OUT [--p99-bound 250]
// With --cluster it reads what bench/cluster.sh wrote instead: cluster-results.md and cluster-scaling.png.
if (args.Length < 1 || args[0].StartsWith('-'))
{
    Console.Error.WriteLine("usage: Parley.Bench.Charts OUT_DIR [--p99-bound MS] [--cluster]");
    return 2;
}
var folder = args[0];
var bound = 250.0;
for (var i = 1; i < args.Length - 1; i++)
{
    if (args[i] == "--p99-bound")
        bound = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
}
if (!Directory.Exists(folder))
{
    Console.Error.WriteLine($"no such folder: {folder}");
    return 2;
}

ChartStyle.UseInstalledFont();
var written = new List<string>();
if (args.Contains("--cluster"))
{
    if (ClusterTables.Write(folder) is { } tables)
        Console.WriteLine($"tables: {tables}");
    if (ClusterChart.Write(folder) is { } chart)
        Console.WriteLine($"chart: {chart}");
    return 0;
}
foreach (var transport in RunFiles.Transports)
{
    if (LatencyChart.Write(folder, transport, bound) is { } path)
        written.Add(path);
}
if (MemoryChart.Write(folder) is { } memory)
    written.Add(memory);

foreach (var path in written)
    Console.WriteLine($"chart: {path}");
if (written.Count == 0)
    Console.WriteLine("no charts: no find-limit or connections JSON in " + folder);
return 0;
