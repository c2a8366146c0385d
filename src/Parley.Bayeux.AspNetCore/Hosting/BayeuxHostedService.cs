using Microsoft.Extensions.Hosting;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.AspNetCore.Hosting;

/// <summary>
/// Starts the engine (sweep, backplane) with the host. When the host starts stopping, every
/// session ends at once, so held connects and streams complete and Kestrel can drain quickly.
/// </summary>
internal sealed class BayeuxHostedService(BayeuxServer server, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _stopping = lifetime.ApplicationStopping.Register(server.Shutdown);
        return server.StartAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.DisposeAsync();
        await server.DisposeAsync();
    }
}
