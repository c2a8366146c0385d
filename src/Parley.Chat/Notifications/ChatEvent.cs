namespace Parley.Chat.Notifications;

/// <summary>
/// Something a client should hear about, pushed to <c>/user/{id}</c> or <c>/group/{id}</c>. On the
/// wire each event is a JSON object whose <c>type</c> is <see cref="Type"/> and whose other fields
/// are the record's properties (camelCase).
/// </summary>
public abstract record ChatEvent
{
    /// <summary>The wire name of the event.</summary>
    public abstract string Type { get; }
}
