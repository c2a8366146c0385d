using Microsoft.Extensions.DependencyInjection;

namespace Parley.Bayeux.AspNetCore;

/// <summary>Returned by <see cref="BayeuxServiceCollectionExtensions.AddBayeux"/>; other packages hang their own <c>AddXxx()</c> on it.</summary>
public sealed class BayeuxBuilder(IServiceCollection services)
{
    /// <summary>The application's services.</summary>
    public IServiceCollection Services { get; } = services;
}
