using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Parley.Bayeux.AspNetCore.Hosting;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.AspNetCore.Tests.Support;

/// <summary>
/// A real Kestrel on 127.0.0.1 with an ephemeral port, the Bayeux endpoint at <c>/cometd</c> and
/// an echo service at <c>/service/echo</c>. One per test: options differ from test to test, and a
/// fresh server keeps tests independent.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    public const string AllowedOrigin = "http://allowed.example";

    private readonly WebApplication _app;

    private TestHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
        Server = app.Services.GetRequiredService<BayeuxServer>();
        Budget = app.Services.GetRequiredService<ConnectionBudget>();
    }

    /// <summary>http://127.0.0.1:port</summary>
    public Uri BaseAddress { get; }

    public int Port => BaseAddress.Port;

    /// <summary>http://127.0.0.1:port/cometd</summary>
    public Uri Endpoint => new(BaseAddress, "/cometd");

    public BayeuxServer Server { get; }

    public ConnectionBudget Budget { get; }

    public IServiceProvider Services => _app.Services;

    public long HeldConnects => Server.Metrics.Gauges().HeldConnects;

    /// <summary>Starts a host. Defaults: anonymous handshakes, <c>/pub/**</c> open, 2 s connect hold, 4 KiB messages, 10 messages a request.</summary>
    public static async Task<TestHost> StartAsync(Action<BayeuxOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddBayeux(o =>
        {
            o.AllowAnonymous = true;
            o.OpenChannels = ["/pub/**"];
            o.Timeout = 2_000;
            o.MaxMessageSize = 4_096;
            o.MaxMessagesPerRequest = 10;
            o.AllowedOrigins = [AllowedOrigin];
            configure?.Invoke(o);
        });

        var app = builder.Build();
        app.UseWebSockets();
        app.MapBayeux("/cometd");
        app.MapBayeuxMetrics();
        app.Services.GetRequiredService<BayeuxServer>()
            .AddService("/service/echo", (request, _) => ValueTask.FromResult<JsonElement?>(request.Data.Clone()));
        await app.StartAsync();

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new TestHost(app, new Uri(addresses.First()));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
