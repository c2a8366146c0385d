namespace Parley.Chat.Cluster;

/// <summary>
/// A message from one node to the others about a user. <see cref="Kind"/> is one of the
/// <c>ClusterSignal.*</c> constants; <see cref="Data"/> carries what the kind needs (a reason,
/// a JSON event) and <see cref="Browser"/> the signing-in browser for <see cref="SignedIn"/>.
/// </summary>
public sealed record ClusterSignal(string Kind, string UserId, string? SessionId = null, string? Browser = null, string? Data = null)
{
    /// <summary>The user signed in on the sending node: under KickPrevious, sessions in other browsers end.</summary>
    public const string SignedIn = "signed_in";

    /// <summary>Every session of the user ends (password changed); <see cref="Data"/> is the reason.</summary>
    public const string KickAll = "kick_all";

    /// <summary>An event for every signed-in user (<see cref="UserId"/> is empty); <see cref="Data"/> is the event as JSON.</summary>
    public const string Notice = "notice";
}
