namespace Parley.Bayeux.Sessions;

/// <summary>What happens when a session's queue is full and another message arrives.</summary>
public enum QueueOverflowPolicy
{
    /// <summary>Drop the oldest queued message (counted in metrics, logged).</summary>
    DropOldest,
    /// <summary>Remove the slow session; it re-handshakes and resynchronizes.</summary>
    Disconnect,
}
