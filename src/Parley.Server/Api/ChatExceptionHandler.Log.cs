using Microsoft.Extensions.Logging;

namespace Parley.Server.Api;

internal sealed partial class ChatExceptionHandler
{
    private static partial class Log
    {
        [LoggerMessage(501, LogLevel.Error, "Store unavailable during {Path}")]
        public static partial void StoreUnavailable(ILogger logger, PathString path, Exception exception);
    }
}
