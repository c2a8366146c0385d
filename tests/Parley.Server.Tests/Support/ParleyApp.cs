using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Parley.Server.Tests.Support;

/// <summary>
/// The real Parley server (its <c>Program</c>) on Kestrel at 127.0.0.1 with an ephemeral port,
/// storing into <see cref="DataDirectory"/>. Fast password hashing; other settings per test class.
/// </summary>
public sealed class ParleyApp : IParleyEndpoint, IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private ParleyApp(WebApplicationFactory<Program> factory, string dataDirectory, Uri baseAddress)
    {
        _factory = factory;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the database and files live (kept when the app stops, so a new app can reuse it).</summary>
    public string DataDirectory { get; }

    /// <summary>http://127.0.0.1:port/</summary>
    public Uri BaseAddress { get; }

    /// <summary>http://127.0.0.1:port/cometd</summary>
    public Uri BayeuxEndpoint => new(BaseAddress, "/cometd");

    public IServiceProvider Services => _factory.Services;

    /// <summary>A fresh temporary data directory.</summary>
    public static string NewDataDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "parley-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Starts the server on <paramref name="dataDirectory"/> with the test defaults plus <paramref name="settings"/>.</summary>
    public static Task<ParleyApp> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("Parley:DataDirectory", dataDirectory);
            builder.UseSetting("Im:PasswordMemoryKiB", "1024");
            builder.UseSetting("Im:PasswordIterations", "1");
            builder.UseSetting("Bayeux:Timeout", "5000");
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
                builder.UseSetting(key, value);
            builder.ConfigureLogging(logging => logging.ClearProviders());
            builder.ConfigureServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5)));
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        try
        {
            factory.StartServer();
        }
        catch
        {
            factory.Dispose();
            throw;
        }
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var address = addresses.First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        return Task.FromResult(new ParleyApp(factory, dataDirectory, new Uri(address + "/")));
    }

    /// <summary>A plain HTTP client for this server (no token, own cookies).</summary>
    public HttpClient CreateHttpClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Registers a new user with a unique name starting with <paramref name="prefix"/>, signed in over REST only.</summary>
    public async Task<ImClient> RegisterAsync(string prefix, string? displayName = null, string? username = null)
    {
        var client = new ImClient(this);
        try
        {
            await client.RegisterAsync(username ?? UniqueName(prefix), ImClient.DefaultPassword, displayName);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Registers a user and connects it over Bayeux, subscribed to its own channel.</summary>
    public async Task<ImClient> OnlineAsync(string prefix, ImTransport transport = ImTransport.WebSocket)
    {
        var client = await RegisterAsync(prefix);
        await client.ConnectAsync(transport);
        return client;
    }

    /// <summary>Signs in again as an existing user (a second device or tab).</summary>
    public async Task<ImClient> LoginAsync(string username, string password = ImClient.DefaultPassword)
    {
        var client = new ImClient(this);
        try
        {
            await client.LoginAsync(username, password);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client of this server for the user <paramref name="other"/> signed in as, with the same token.</summary>
    public ImClient Resume(ImClient other)
    {
        var client = new ImClient(this);
        client.UseToken(other.UserId, other.Username, other.Token);
        return client;
    }

    public static string UniqueName(string prefix) => (prefix + "-" + Guid.NewGuid().ToString("N")[..10]).ToLowerInvariant();

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}
