namespace Parley.Chat;

/// <summary>Who may start a direct conversation with whom.</summary>
public enum DirectMessagePolicy
{
    /// <summary>Only friends (the default).</summary>
    Friends,
    /// <summary>Any user who has not blocked the sender.</summary>
    Anyone,
}

/// <summary>What a new login does to the user's other sessions.</summary>
public enum LoginPolicy
{
    /// <summary>The newest login wins; older sessions are told "kicked" and must not reconnect.</summary>
    KickPrevious,
    /// <summary>Every session stays.</summary>
    AllowMultiple,
}

/// <summary>Settings of the IM, bound from the <c>Im</c> configuration section.</summary>
public sealed class ChatOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Im";

    /// <summary>Who may message whom.</summary>
    public DirectMessagePolicy DirectMessages { get; set; } = DirectMessagePolicy.Friends;

    /// <summary>What a second login does.</summary>
    public LoginPolicy LoginPolicy { get; set; } = LoginPolicy.KickPrevious;

    /// <summary>Longest message body, in characters (UTF-16 code units).</summary>
    public int MaxMessageLength { get; set; } = 4_000;

    /// <summary>Most members a group may have.</summary>
    public int GroupMemberCap { get; set; } = 2_000;

    /// <summary>How long after sending a message its author may recall it.</summary>
    public TimeSpan RecallWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest upload, in bytes.</summary>
    public long MaxFileSize { get; set; } = 25 * 1024 * 1024;

    /// <summary>Where uploaded files are kept (content-addressed). Relative paths are under the data directory.</summary>
    public string FilesDirectory { get; set; } = "files";

    /// <summary>Failed logins allowed per username and per address in <see cref="LoginWindow"/>.</summary>
    public int MaxLoginFailures { get; set; } = 10;

    /// <summary>The window for <see cref="MaxLoginFailures"/>.</summary>
    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Argon2id memory cost in KiB (OWASP: 19 MiB).</summary>
    public int PasswordMemoryKiB { get; set; } = 19 * 1024;

    /// <summary>Argon2id passes.</summary>
    public int PasswordIterations { get; set; } = 2;

    /// <summary>Usernames of administrators (may broadcast system notices).</summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>Messages returned by one sync call before <c>more:true</c>.</summary>
    public int SyncPageSize { get; set; } = 200;

    /// <summary>Presence changes of one user are pushed at most this often (coalesced).</summary>
    public TimeSpan PresenceCoalesce { get; set; } = TimeSpan.FromMilliseconds(500);
}
