using Parley.Bayeux.Server;
using Parley.Bayeux.Sessions;

namespace Parley.Server.Diagnostics;

/// <summary>
/// Test and conformance aids, off unless <c>Diagnostics:Enabled=true</c>: a <c>/service/echo</c>
/// service that answers a remoteCall with its own data, and a way to end a session from the
/// server side (what an expiry or a node restart does to a client).
/// </summary>
internal static class DiagnosticsEndpoints
{
    public static void MapDiagnostics(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Diagnostics:Enabled"))
            return;
        var server = app.Services.GetRequiredService<BayeuxServer>();
        server.AddService("/service/echo", static (request, _) => ValueTask.FromResult<System.Text.Json.JsonElement?>(request.Data.Clone()));
        app.MapDelete("/diagnostics/sessions/{clientId}", (string clientId, BayeuxServer bayeux) =>
            bayeux.GetSession(clientId) is { } session && bayeux.RemoveSession(session, SessionRemovalReason.Server)
                ? Results.NoContent()
                : Results.NotFound());
        app.Logger.LogWarning("Diagnostics endpoints are enabled: do not use this in production");
    }
}
