using Microsoft.Extensions.Logging;

namespace Parley.Backplane.Redis;

internal sealed partial class RedisClusterDirectory
{
    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Information, "Node {NodeId} found its entries gone (Redis restarted or the node was reaped): rewrote {Users} presence entries")]
        public static partial void Rewrote(ILogger logger, string nodeId, int users);

        [LoggerMessage(102, LogLevel.Information, "Node {DeadNode} stopped refreshing its entries: reaped, {Users} users lost")]
        public static partial void Reaped(ILogger logger, string deadNode, int users);

        [LoggerMessage(103, LogLevel.Debug, "Heartbeat of node {NodeId} failed: {Reason}")]
        public static partial void HeartbeatFailed(ILogger logger, string nodeId, string reason);

        [LoggerMessage(104, LogLevel.Debug, "Directory write failed, rewritten at the next heartbeat: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string reason);

        [LoggerMessage(105, LogLevel.Debug, "Directory read failed, answered from this node's own entries: {Reason}")]
        public static partial void ReadFailed(ILogger logger, string reason);

        [LoggerMessage(106, LogLevel.Debug, "Signal {Kind} dropped: {Reason}")]
        public static partial void SignalDropped(ILogger logger, string kind, string reason);

        [LoggerMessage(107, LogLevel.Warning, "Malformed signal on {Channel} ignored")]
        public static partial void MalformedSignal(ILogger logger, string channel);

        [LoggerMessage(108, LogLevel.Error, "A {Kind} handler failed")]
        public static partial void HandlerFailed(ILogger logger, string kind, Exception exception);
    }
}
