using Microsoft.Extensions.Hosting;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.AspNetCore.Hosting;

/// <summary>Starts the engine (sweep, backplane) with the host and ends every session when it stops.</summary>
internal sealed class BayeuxHostedService(BayeuxServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => server.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync();
}
