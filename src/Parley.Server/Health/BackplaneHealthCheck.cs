using Microsoft.Extensions.Diagnostics.HealthChecks;
using Parley.Bayeux.Server;

namespace Parley.Server.Health;

/// <summary>Degraded (still ready) while the backplane is down: the node serves its own sessions, and they resync when it returns.</summary>
internal sealed class BackplaneHealthCheck(BayeuxServer bayeux) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(bayeux.BackplaneConnected
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("The backplane is unreachable: broadcasts from other nodes do not arrive."));
}
