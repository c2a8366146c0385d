using Microsoft.Extensions.Logging;

namespace Parley.Backplane.Redis;

internal sealed partial class RedisBackplane
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Backplane of node {NodeId} lost Redis: broadcasts are dropped until it is back")]
        public static partial void Disconnected(ILogger logger, string nodeId);

        [LoggerMessage(2, LogLevel.Information, "Backplane of node {NodeId} reconnected and resubscribed: sessions resynchronize")]
        public static partial void Restored(ILogger logger, string nodeId);

        [LoggerMessage(3, LogLevel.Information, "Node {NodeId} reported its backplane restored: sessions resynchronize")]
        public static partial void PeerRestored(ILogger logger, string nodeId);

        [LoggerMessage(4, LogLevel.Debug, "Broadcast on {Channel} dropped: Redis is unreachable")]
        public static partial void PublishDropped(ILogger logger, string channel);

        [LoggerMessage(5, LogLevel.Debug, "Broadcast on {Channel} failed: {Reason}")]
        public static partial void PublishFailed(ILogger logger, string channel, string reason);

        [LoggerMessage(6, LogLevel.Debug, "Subscribing to {Channel} failed: {Reason}; retried after reconnection")]
        public static partial void SubscribeFailed(ILogger logger, string channel, string reason);

        [LoggerMessage(7, LogLevel.Debug, "Unsubscribing from {Channel} failed: {Reason}")]
        public static partial void UnsubscribeFailed(ILogger logger, string channel, string reason);

        [LoggerMessage(9, LogLevel.Warning, "Malformed backplane message on {Channel} ignored")]
        public static partial void Malformed(ILogger logger, string channel);

        [LoggerMessage(10, LogLevel.Error, "Handling a backplane message on {Channel} failed")]
        public static partial void HandlerFailed(ILogger logger, string channel, Exception exception);

        [LoggerMessage(11, LogLevel.Warning, "Backplane loops did not stop within 5 s")]
        public static partial void StopTimedOut(ILogger logger);
    }
}
