using Microsoft.Extensions.Logging;

namespace Parley.Server.Im;

internal sealed partial class ImSessionLifecycle
{
    private static partial class Log
    {
        [LoggerMessage(402, LogLevel.Information, "User {UserId} signed in again: session {ClientId} kicked")]
        public static partial void Kicking(ILogger logger, string userId, string clientId);

        [LoggerMessage(403, LogLevel.Information, "The backplane is back: {Users} users here are told to resynchronize")]
        public static partial void Resyncing(ILogger logger, int users);

        [LoggerMessage(404, LogLevel.Warning, "A {Kind} signal for {UserId} could not reach the other nodes")]
        public static partial void SignalFailed(ILogger logger, string kind, string userId, Exception exception);

        [LoggerMessage(405, LogLevel.Warning, "A {Kind} signal from another node could not be read")]
        public static partial void BadSignal(ILogger logger, string kind, Exception exception);
    }
}
