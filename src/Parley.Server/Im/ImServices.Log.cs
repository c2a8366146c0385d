using Microsoft.Extensions.Logging;

namespace Parley.Server.Im;

internal sealed partial class ImServices
{
    private static partial class Log
    {
        [LoggerMessage(401, LogLevel.Error, "Store unavailable during {Channel}")]
        public static partial void StoreUnavailable(ILogger logger, string channel, Exception exception);
    }
}
