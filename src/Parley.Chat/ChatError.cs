namespace Parley.Chat;

/// <summary>Why an operation was refused. Each maps to one HTTP status and one Bayeux error code.</summary>
public enum ChatErrorKind
{
    /// <summary>The input is malformed or breaks a rule (400).</summary>
    Invalid,
    /// <summary>Not signed in, or wrong credentials (401).</summary>
    Unauthorized,
    /// <summary>Signed in, but not allowed (403).</summary>
    Forbidden,
    /// <summary>No such thing, or not visible to the caller (404).</summary>
    NotFound,
    /// <summary>Clashes with the current state: taken username, duplicate request (409).</summary>
    Conflict,
    /// <summary>Too big (413).</summary>
    TooLarge,
    /// <summary>Too many attempts (429).</summary>
    RateLimited,
    /// <summary>The store is not available (503).</summary>
    Unavailable,
}

/// <summary>A refusal the caller should see: a stable machine code and a human message.</summary>
public sealed class ChatException(ChatErrorKind kind, string code, string message) : Exception(message)
{
    /// <summary>The category (HTTP status).</summary>
    public ChatErrorKind Kind { get; } = kind;

    /// <summary>Stable code clients branch on, e.g. <c>not_friends</c>.</summary>
    public string Code { get; } = code;

    /// <summary>Throws <see cref="ChatErrorKind.Invalid"/>.</summary>
    public static ChatException Invalid(string code, string message) => new(ChatErrorKind.Invalid, code, message);
    /// <summary>Throws <see cref="ChatErrorKind.Forbidden"/>.</summary>
    public static ChatException Forbidden(string code, string message) => new(ChatErrorKind.Forbidden, code, message);
    /// <summary>Throws <see cref="ChatErrorKind.NotFound"/>.</summary>
    public static ChatException NotFound(string code, string message) => new(ChatErrorKind.NotFound, code, message);
    /// <summary>Throws <see cref="ChatErrorKind.Conflict"/>.</summary>
    public static ChatException Conflict(string code, string message) => new(ChatErrorKind.Conflict, code, message);
}
