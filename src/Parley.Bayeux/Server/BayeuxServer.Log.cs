using Microsoft.Extensions.Logging;
using Parley.Bayeux.Sessions;

namespace Parley.Bayeux.Server;

public sealed partial class BayeuxServer
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Session {ClientId} added over {Transport}")]
        public static partial void SessionAdded(ILogger logger, string clientId, string transport);

        [LoggerMessage(2, LogLevel.Debug, "Session {ClientId} removed: {Reason}")]
        public static partial void SessionRemoved(ILogger logger, string clientId, SessionRemovalReason reason);

        [LoggerMessage(3, LogLevel.Information, "Handshake denied: {Error}")]
        public static partial void HandshakeDenied(ILogger logger, string? error);

        [LoggerMessage(4, LogLevel.Warning, "Session limit {Max} reached: handshake refused with 503")]
        public static partial void SessionLimit(ILogger logger, int max);

        [LoggerMessage(5, LogLevel.Debug, "Queue of session {ClientId} full ({Max}): oldest message dropped")]
        public static partial void QueueDropped(ILogger logger, string clientId, int max);

        [LoggerMessage(6, LogLevel.Warning, "Queue of session {ClientId} full ({Max}): slow client disconnected")]
        public static partial void QueueOverflowDisconnect(ILogger logger, string clientId, int max);

        [LoggerMessage(7, LogLevel.Information, "Session {ClientId} kicked")]
        public static partial void Kicked(ILogger logger, string clientId);

        [LoggerMessage(8, LogLevel.Warning, "clientId {ClientId} presented from another browser: treated as unknown")]
        public static partial void BrowserMismatch(ILogger logger, string clientId);

        [LoggerMessage(9, LogLevel.Error, "Service handler for {Channel} failed")]
        public static partial void ServiceFailed(ILogger logger, string channel, Exception exception);

        [LoggerMessage(10, LogLevel.Error, "A session listener failed")]
        public static partial void ListenerFailed(ILogger logger, Exception exception);
    }
}
