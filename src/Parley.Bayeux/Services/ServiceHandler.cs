using System.Text.Json;

namespace Parley.Bayeux.Services;

/// <summary>
/// Handles publishes to a service channel. A non-null result is sent back to the caller as a
/// separate message on the same channel with the same id (the CometD <c>remoteCall</c> reply).
/// </summary>
public delegate ValueTask<JsonElement?> ServiceHandler(ServiceRequest request, CancellationToken cancellationToken);
