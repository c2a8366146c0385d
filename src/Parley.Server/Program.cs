using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.FileProviders;
using Parley.Bayeux.AspNetCore;
using Parley.Server.Api;
using Parley.Server.Cluster;
using Parley.Server.Diagnostics;
using Parley.Server.Health;
using Parley.Server.Im;

var builder = WebApplication.CreateBuilder(args);

// JSON bodies are small; the upload endpoint raises its own limit.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 1024 * 1024);
// Parley:InlineScheduling=true lets Kestrel hand a received request to the application, and a
// flushed response to the socket, on the thread it is already on (UnsafePreferInlineScheduling)
// instead of queueing each to another thread. Socket completions still run on thread-pool
// threads. Off by default: it lowers the WebSocket fan-out p99 but raises the long-polling one
// (measured in docs/benchmarks.md, discussed in docs/operations.md).
builder.WebHost.UseSockets(sockets =>
    sockets.UnsafePreferInlineScheduling = builder.Configuration.GetValue("Parley:InlineScheduling", false));

builder.Services.AddBayeux().AddAuthenticator<TokenHandshakeAuthenticator>();
builder.Services.AddParleyCluster(builder.Configuration);
builder.Services.AddParleyIm(builder.Configuration, builder.Environment);
builder.Services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
builder.Services.AddAuthorization();
// Every error answer of the API is ProblemDetails with a stable "code", even those the
// framework produces itself (body too large, wrong content type, unknown route).
builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
    context.ProblemDetails.Extensions.TryAdd("code", context.ProblemDetails.Status switch
    {
        400 => "invalid_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        413 => "too_large",
        415 => "unsupported_media_type",
        429 => "rate_limited",
        503 => "unavailable",
        _ => "error",
    }));
builder.Services.AddExceptionHandler<ChatExceptionHandler>();
builder.Services.Configure<JsonOptions>(json =>
{
    ImJson.Apply(json.SerializerOptions);
    json.SerializerOptions.TypeInfoResolverChain.Insert(0, ImJsonContext.Default);
});
builder.Services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
builder.Services.AddHealthChecks()
    .AddCheck<StoreHealthCheck>("store")
    .AddCheck<BackplaneHealthCheck>("backplane");

var app = builder.Build();

app.UseExceptionHandler();
if (ClusterServiceCollectionExtensions.IsCluster(app.Configuration))
{
    // Which node answered: for operators behind the load balancer, and for the failover tests.
    var nodeId = app.Services.GetRequiredService<Parley.Bayeux.Server.BayeuxServer>().NodeId;
    app.Use((context, next) =>
    {
        context.Response.Headers["Parley-Node"] = nodeId;
        return next(context);
    });
}
app.UseStatusCodePages();
app.UseApiOriginCheck();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });

// The web client: wwwroot by default, or another folder (Parley:WebRoot).
var webRoot = app.Configuration["Parley:WebRoot"];
var files = string.IsNullOrEmpty(webRoot) ? app.Environment.WebRootFileProvider : new PhysicalFileProvider(Path.GetFullPath(webRoot));
app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
app.UseStaticFiles(new StaticFileOptions { FileProvider = files });

app.UseAuthentication();
app.UseAuthorization();

app.MapBayeux("/cometd");
app.MapBayeuxMetrics("/metrics");
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready");
app.MapDiagnostics();
await app.UseParleyImAsync();

await app.RunAsync();

/// <summary>The entry point, visible to functional tests.</summary>
public partial class Program;
