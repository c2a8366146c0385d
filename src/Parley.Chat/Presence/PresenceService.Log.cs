using Microsoft.Extensions.Logging;

namespace Parley.Chat.Presence;

public sealed partial class PresenceService
{
    private static partial class Log
    {
        [LoggerMessage(301, LogLevel.Warning, "Presence of {UserId} could not be pushed")]
        public static partial void PushFailed(ILogger logger, string userId, Exception exception);

        [LoggerMessage(302, LogLevel.Warning, "Presence of {UserId} could not be written to the cluster directory")]
        public static partial void DirectoryWriteFailed(ILogger logger, string userId, Exception exception);
    }
}
