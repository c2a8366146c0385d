using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Parley.Backplane.Redis;

internal sealed partial class RedisConnection
{
    private static partial class Log
    {
        [LoggerMessage(201, LogLevel.Warning, "Redis {ConnectionType} connection to {EndPoint} failed ({FailureType}): {Reason}; reconnecting with back-off")]
        public static partial void ConnectionFailed(ILogger logger, ConnectionType connectionType, string? endPoint, ConnectionFailureType failureType, string? reason);

        [LoggerMessage(202, LogLevel.Information, "Redis {ConnectionType} connection to {EndPoint} restored")]
        public static partial void ConnectionRestored(ILogger logger, ConnectionType connectionType, string? endPoint);

        [LoggerMessage(203, LogLevel.Warning, "Node {NodeId} started without Redis: it serves its own sessions and joins the cluster once Redis answers")]
        public static partial void StartedDisconnected(ILogger logger, string nodeId);

        [LoggerMessage(204, LogLevel.Debug, "Closing the Redis connection failed: {Reason}")]
        public static partial void CloseFailed(ILogger logger, string reason);
    }
}
