using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Bayeux.AspNetCore.Hosting;
using Parley.Bayeux.AspNetCore.Http;
using Parley.Bayeux.AspNetCore.Transports;
using Parley.Bayeux.Backplane;
using Parley.Bayeux.Security;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.AspNetCore;

/// <summary>Registers the Bayeux engine and its transports.</summary>
public static class BayeuxServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine (bound to the <c>Bayeux</c> configuration section), the transports, and
    /// Kestrel limits that keep the process below its file-descriptor cap.
    /// </summary>
    public static BayeuxBuilder AddBayeux(this IServiceCollection services, Action<BayeuxOptions>? configure = null)
    {
        var options = services.AddOptions<BayeuxOptions>().BindConfiguration(BayeuxOptions.SectionName);
        if (configure is not null)
            options.Configure(configure);

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var server = new BayeuxServer(
                sp.GetRequiredService<IOptions<BayeuxOptions>>().Value,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<BayeuxServer>>(),
                sp.GetService<IBackplane>());
            foreach (var authenticator in sp.GetServices<IHandshakeAuthenticator>())
                server.AddAuthenticator(authenticator);
            return server;
        });
        services.TryAddSingleton<OriginPolicy>();
        services.TryAddSingleton<HttpPollingTransport>();
        services.TryAddSingleton<WebSocketTransport>();
        services.TryAddSingleton<EventSourceTransport>();
        services.TryAddSingleton(sp => new ConnectionBudget(sp.GetRequiredService<IOptions<BayeuxOptions>>().Value.MaxConnections));
        services.AddHostedService<BayeuxHostedService>();

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<BayeuxOptions>, ConnectionBudget>((kestrel, bayeux, budget) =>
        {
            // The budget (plain and upgraded together) refuses first, with a 503; Kestrel's own
            // limits, which close silently, stay just above it as a backstop.
            kestrel.Limits.MaxConcurrentConnections = bayeux.Value.MaxConnections + 64;
            kestrel.Limits.MaxConcurrentUpgradedConnections = bayeux.Value.MaxConnections + 64;
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(budget.Wrap));
        });
        return new BayeuxBuilder(services);
    }

    /// <summary>Uses an in-memory backplane node (tests and single-process clusters).</summary>
    public static BayeuxBuilder AddInMemoryBackplane(this BayeuxBuilder builder, InMemoryBackplaneHub hub, string? nodeId = null)
    {
        builder.Services.AddSingleton<IBackplane>(_ => hub.CreateNode(nodeId));
        return builder;
    }

    /// <summary>Adds a handshake authenticator.</summary>
    public static BayeuxBuilder AddAuthenticator<T>(this BayeuxBuilder builder) where T : class, IHandshakeAuthenticator
    {
        builder.Services.AddSingleton<IHandshakeAuthenticator, T>();
        return builder;
    }
}
