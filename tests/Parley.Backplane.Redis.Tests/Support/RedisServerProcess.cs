using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Parley.Backplane.Redis.Tests.Support;

/// <summary>
/// A private redis-server on a free loopback port, for outage tests: it can be killed and started
/// again on the same port. No persistence, so a restart comes back empty as a crashed Redis would.
/// </summary>
internal sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("parley-redis-test-").FullName;
    private Process? _process;

    private RedisServerProcess(int port) => Port = port;

    public int Port { get; }

    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServerProcess> StartAsync()
    {
        var server = new RedisServerProcess(FreePort());
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        if (_process is not null)
            throw new InvalidOperationException("Already running.");
        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory, "--daemonize", "no" })
            start.ArgumentList.Add(argument);
        try
        {
            _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"redis-server is not installed ({ex.Message}): run `scripts/redis.sh start` once, it installs it.");
            throw;
        }
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var started = Stopwatch.GetTimestamp();
        while (!await AnswersAsync())
        {
            if (_process.HasExited || Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(10))
                Assert.Fail($"redis-server on port {Port} did not come up.");
            await Task.Delay(20);
        }
    }

    /// <summary>Kills the server at once, as a crash or a network cut would look to its clients.</summary>
    public async Task KillAsync()
    {
        if (_process is null)
            return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
            return read >= 5 && buffer[0] == (byte)'+';
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
