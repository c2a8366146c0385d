using Microsoft.Extensions.Logging;

namespace Parley.Bayeux.AspNetCore.Transports;

internal sealed partial class WebSocketConnection
{
    private static partial class Log
    {
        [LoggerMessage(201, LogLevel.Debug, "WebSocket ended: {Reason}")]
        public static partial void SocketEnded(ILogger logger, string reason);

        [LoggerMessage(202, LogLevel.Information, "WebSocket message larger than {Max} bytes: closing")]
        public static partial void FrameTooLarge(ILogger logger, int max);
    }
}
