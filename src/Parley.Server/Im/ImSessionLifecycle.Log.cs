using Microsoft.Extensions.Logging;

namespace Parley.Server.Im;

internal sealed partial class ImSessionLifecycle
{
    private static partial class Log
    {
        [LoggerMessage(402, LogLevel.Information, "User {UserId} signed in again: session {ClientId} kicked")]
        public static partial void Kicking(ILogger logger, string userId, string clientId);
    }
}
