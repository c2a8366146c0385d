using Microsoft.Extensions.Logging;

namespace Parley.Bayeux.AspNetCore.Transports;

internal sealed partial class HttpPollingTransport
{
    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Debug, "Bad Bayeux request from {Remote}: {Error}")]
        public static partial void BadRequest(ILogger logger, string? error, System.Net.IPAddress? remote);

        [LoggerMessage(102, LogLevel.Debug, "Writing a Bayeux response failed: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string reason);
    }
}
