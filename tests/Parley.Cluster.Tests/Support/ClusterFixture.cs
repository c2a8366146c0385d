using System.Diagnostics;
using System.Net;
using System.Text;

namespace Parley.Cluster.Tests.Support;

/// <summary>
/// Starts a three-node cluster with scripts/cluster.sh on ports of its own (apart from a cluster
/// someone runs by hand), from an empty state directory, and stops it at the end.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int Nodes = 3;
    private const int BalancerPort = 28080;
    private const int FirstNodePort = 28181;

    private static readonly string Repository = FindRepository();
    private static readonly string StateDirectory = Path.Combine(Path.GetTempPath(), "parley-cluster-tests");

    public ClusterEndpoint Balancer { get; } = new("nginx", new Uri($"http://127.0.0.1:{BalancerPort}/"));

    public ClusterEndpoint Node(int index) => new($"node{index}", new Uri($"http://127.0.0.1:{FirstNodePort + index - 1}/"));

    public async Task InitializeAsync()
    {
        await RunAsync("scripts/cluster.sh", "down");
        if (Directory.Exists(StateDirectory))
            Directory.Delete(StateDirectory, recursive: true);
        await RunAsync("scripts/cluster.sh", "up", Nodes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public Task DisposeAsync() => RunAsync("scripts/cluster.sh", "down");

    /// <summary>SIGKILLs node <paramref name="index"/>.</summary>
    public Task KillNodeAsync(int index) => RunAsync("scripts/cluster.sh", "kill", index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Starts node <paramref name="index"/> if it is not running, and waits until it is ready.</summary>
    public Task StartNodeAsync(int index) => RunAsync("scripts/cluster.sh", "start", index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Starts every stopped part again (the clean-up of a failure test).</summary>
    public async Task HealAsync()
    {
        await RunAsync("scripts/postgres.sh", "start");
        await RunAsync("scripts/redis.sh", "start");
        for (var i = 1; i <= Nodes; i++)
            await StartNodeAsync(i);
    }

    public Task StopRedisAsync() => RunAsync("scripts/redis.sh", "stop");

    public Task StartRedisAsync() => RunAsync("scripts/redis.sh", "start");

    public Task StopPostgresAsync() => RunAsync("scripts/postgres.sh", "stop");

    public Task StartPostgresAsync() => RunAsync("scripts/postgres.sh", "start");

    /// <summary>The node that answers requests from this machine's address through nginx (clients without cookies stay there).</summary>
    public async Task<int> NodeBehindBalancerAsync()
    {
        using var http = Balancer.CreateHttpClient();
        using var response = await http.GetAsync("/health/live");
        var node = response.Headers.TryGetValues("Parley-Node", out var values) ? values.Single() : throw new InvalidOperationException("no Parley-Node header");
        return int.Parse(node["node".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True when the endpoint answers /health/ready with 200.</summary>
    public static async Task<bool> IsReadyAsync(ClusterEndpoint endpoint)
    {
        using var http = endpoint.CreateHttpClient();
        try
        {
            using var response = await http.GetAsync("/health/ready");
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = Repository, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["PARLEY_CLUSTER_DIR"] = StateDirectory;
        start.Environment["PARLEY_CLUSTER_PORT"] = BalancerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PARLEY_CLUSTER_NODE_PORT"] = FirstNodePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PARLEY_PG_PORT"] = "25434";
        start.Environment["PARLEY_PG_DIR"] = Path.Combine(StateDirectory, "postgres");
        start.Environment["PARLEY_REDIS_PORT"] = "26382";
        start.Environment["PARLEY_REDIS_DIR"] = Path.Combine(StateDirectory, "redis");
        // Fast password hashing; short timeouts so a dead node's users go offline within seconds.
        start.Environment["PARLEY_NODE_ARGS"] = "--Im:PasswordMemoryKiB=1024 --Im:PasswordIterations=1 --Bayeux:Timeout=5000 "
            + "--Cluster:HeartbeatInterval=00:00:01 --Cluster:NodeTtl=00:00:04 --Logging:LogLevel:Default=Warning";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            lock (output)
                throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        }
    }

    private static string FindRepository()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
                return directory.FullName;
        }
        throw new InvalidOperationException("Parley.slnx not found above " + AppContext.BaseDirectory);
    }
}
