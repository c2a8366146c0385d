using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.FileProviders;
using Parley.Bayeux.AspNetCore;
using Parley.Server.Diagnostics;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddBayeux();
builder.Services.AddHealthChecks();

var app = builder.Build();

app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });

// The web client: wwwroot by default, or another folder (Parley:WebRoot).
var webRoot = app.Configuration["Parley:WebRoot"];
var files = string.IsNullOrEmpty(webRoot) ? app.Environment.WebRootFileProvider : new PhysicalFileProvider(Path.GetFullPath(webRoot));
app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
app.UseStaticFiles(new StaticFileOptions { FileProvider = files });

app.MapBayeux("/cometd");
app.MapBayeuxMetrics("/metrics");
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready");
app.MapDiagnostics();

app.Run();

/// <summary>The entry point, visible to functional tests.</summary>
public partial class Program;
