using Microsoft.Extensions.Diagnostics.HealthChecks;
using Parley.Chat.Storage;

namespace Parley.Server.Health;

/// <summary>Ready only while the store answers: without it nothing can be sent or synced.</summary>
internal sealed class StoreHealthCheck(IChatStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.Users.FindByUsernameAsync("health-check", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (StoreUnavailableException ex)
        {
            return HealthCheckResult.Unhealthy("The store is unreachable.", ex);
        }
    }
}
