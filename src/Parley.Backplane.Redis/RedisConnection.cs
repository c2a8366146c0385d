using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Parley.Backplane.Redis;

/// <summary>
/// The one <see cref="ConnectionMultiplexer"/> a node shares between its backplane and its directory.
/// It connects in the background and never gives up (AbortOnConnectFail=false), so a node starts and
/// serves its own sessions while Redis is down; commands fail fast instead of queueing while it is.
/// </summary>
internal sealed partial class RedisConnection : IAsyncDisposable
{
    private readonly RedisClusterOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Task<ConnectionMultiplexer>? _connecting;
    private bool _disposed;

    public RedisConnection(RedisClusterOptions options, ILogger<RedisConnection>? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger<RedisConnection>.Instance;
        Keys = new RedisKeys(options.KeyPrefix);
    }

    public RedisKeys Keys { get; }

    public RedisClusterOptions Options => _options;

    /// <summary>The multiplexer once its first connection attempt ended, connected or not.</summary>
    public Task<ConnectionMultiplexer> GetAsync()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _connecting ??= ConnectAsync();
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        var configuration = ConfigurationOptions.Parse(_options.Configuration);
        configuration.AbortOnConnectFail = false;
        // RESP2 keeps every subscription on one dedicated connection, the order the backplane relies on.
        configuration.Protocol = RedisProtocol.Resp2;
        // Publishes are dropped rather than replayed late; the directory rewrites itself after an outage.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        var maxDelay = (int)Math.Clamp(_options.MaxReconnectDelay.TotalMilliseconds, 100, int.MaxValue);
        configuration.ReconnectRetryPolicy = new ExponentialRetry(Math.Min(250, maxDelay), maxDelay);
        configuration.ClientName ??= "parley-" + _options.NodeId;
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration);
        multiplexer.ConnectionFailed += (_, e) => Log.ConnectionFailed(_logger, e.ConnectionType, e.EndPoint?.ToString(), e.FailureType, e.Exception?.Message);
        multiplexer.ConnectionRestored += (_, e) => Log.ConnectionRestored(_logger, e.ConnectionType, e.EndPoint?.ToString());
        if (!multiplexer.IsConnected)
            Log.StartedDisconnected(_logger, _options.NodeId);
        return multiplexer;
    }

    public async ValueTask DisposeAsync()
    {
        Task<ConnectionMultiplexer>? connecting;
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            connecting = _connecting;
        }
        if (connecting is null)
            return;
        try
        {
            var multiplexer = await connecting;
            await multiplexer.CloseAsync(allowCommandsToComplete: false);
            await multiplexer.DisposeAsync();
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            Log.CloseFailed(_logger, ex.Message);
        }
    }
}
