using Microsoft.Extensions.Options;
using Parley.Chat.Storage;

namespace Parley.Chat.Accounts;

/// <summary>Registration, sign-in and sign-out, passwords, profiles, finding people.</summary>
public sealed class AccountService
{
    private readonly IChatStore _store;
    private readonly ChatOptions _options;
    private readonly TimeProvider _time;
    private readonly PasswordHasher _hasher;
    private readonly LoginThrottle _throttle;

    /// <summary>Creates the service.</summary>
    public AccountService(IChatStore store, IOptions<ChatOptions> options, TimeProvider time)
    {
        _store = store;
        _options = options.Value;
        _time = time;
        _hasher = new PasswordHasher(_options.PasswordMemoryKiB, _options.PasswordIterations);
        _throttle = new LoginThrottle(_options.MaxLoginFailures, _options.LoginWindow, time);
    }

    /// <summary>Creates an account and signs it in.</summary>
    public async Task<SignedIn> RegisterAsync(string? username, string? password, string? displayName, CancellationToken cancellationToken = default)
    {
        var name = Names.NormalizeUsername(username);
        Names.CheckPassword(password);
        var display = string.IsNullOrWhiteSpace(displayName) ? name : Names.CleanDisplayName(displayName);
        var user = new User(Ids.New(), name, display, "", PublicPresence: false, _time.GetUtcNow());
        var hash = await Task.Run(() => _hasher.Hash(password!), cancellationToken);
        if (!await _store.Users.CreateUserAsync(user, hash, cancellationToken))
            throw ChatException.Conflict("username_taken", "That username is taken.");
        return new SignedIn(user, await IssueTokenAsync(user.Id, cancellationToken));
    }

    /// <summary>Signs in with a password. <paramref name="clientKey"/> (e.g. the remote address) is throttled too.</summary>
    public async Task<SignedIn> LoginAsync(string? username, string? password, string clientKey, CancellationToken cancellationToken = default)
    {
        var name = (username ?? "").Trim().ToLowerInvariant();
        var userKey = "u:" + name;
        var addressKey = "a:" + clientKey;
        if (!_throttle.IsAllowed(userKey) || !_throttle.IsAllowed(addressKey))
            throw new ChatException(ChatErrorKind.RateLimited, "too_many_attempts", "Too many failed sign-ins; try again in a few minutes.");
        var user = name.Length == 0 ? null : await _store.Users.FindByUsernameAsync(name, cancellationToken);
        var hash = user is null ? null : await _store.Users.GetPasswordHashAsync(user.Id, cancellationToken);
        var valid = hash is not null && password is not null && await Task.Run(() => PasswordHasher.Verify(password, hash), cancellationToken);
        if (!valid || user is null)
        {
            _throttle.Fail(userKey);
            _throttle.Fail(addressKey);
            throw new ChatException(ChatErrorKind.Unauthorized, "invalid_credentials", "Wrong username or password.");
        }
        _throttle.Reset(userKey);
        return new SignedIn(user, await IssueTokenAsync(user.Id, cancellationToken));
    }

    /// <summary>Revokes one token.</summary>
    public Task LogoutAsync(string token, CancellationToken cancellationToken = default) =>
        Tokens.IsWellFormed(token) ? _store.Users.RevokeTokenAsync(Tokens.Hash(token), cancellationToken) : Task.CompletedTask;

    /// <summary>Changes the password, revokes every token of the user, and returns a fresh one.</summary>
    public async Task<string> ChangePasswordAsync(string userId, string? currentPassword, string? newPassword, CancellationToken cancellationToken = default)
    {
        Names.CheckPassword(newPassword);
        var hash = await _store.Users.GetPasswordHashAsync(userId, cancellationToken)
            ?? throw ChatException.NotFound("user_not_found", "No such user.");
        if (currentPassword is null || !await Task.Run(() => PasswordHasher.Verify(currentPassword, hash), cancellationToken))
            throw new ChatException(ChatErrorKind.Unauthorized, "invalid_credentials", "The current password is wrong.");
        await _store.Users.SetPasswordHashAsync(userId, await Task.Run(() => _hasher.Hash(newPassword!), cancellationToken), cancellationToken);
        await _store.Users.RevokeAllTokensAsync(userId, cancellationToken);
        PasswordChanged?.Invoke(userId);
        return await IssueTokenAsync(userId, cancellationToken);
    }

    /// <summary>The user a bearer token belongs to, or null.</summary>
    public async Task<User?> AuthenticateAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!Tokens.IsWellFormed(token))
            return null;
        var userId = await _store.Users.GetTokenUserAsync(Tokens.Hash(token!), cancellationToken);
        return userId is null ? null : await _store.Users.GetUserAsync(userId, cancellationToken);
    }

    /// <summary>A user by id.</summary>
    public async Task<User> GetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        await _store.Users.GetUserAsync(userId, cancellationToken) ?? throw ChatException.NotFound("user_not_found", "No such user.");

    /// <summary>A user by username or id, as people type it.</summary>
    public async Task<User?> ResolveAsync(string? usernameOrId, CancellationToken cancellationToken = default)
    {
        var key = (usernameOrId ?? "").Trim();
        if (key.Length == 0)
            return null;
        return (Ids.IsWellFormed(key) ? await _store.Users.GetUserAsync(key, cancellationToken) : null)
            ?? await _store.Users.FindByUsernameAsync(key.ToLowerInvariant(), cancellationToken);
    }

    /// <summary>Changes the caller's profile.</summary>
    public async Task<User> UpdateProfileAsync(string userId, ProfileUpdate update, CancellationToken cancellationToken = default)
    {
        var clean = new ProfileUpdate(
            update.DisplayName is null ? null : Names.CleanDisplayName(update.DisplayName),
            update.StatusMessage is null ? null : Names.CleanStatusMessage(update.StatusMessage),
            update.PublicPresence);
        var user = await _store.Users.UpdateProfileAsync(userId, clean, cancellationToken)
            ?? throw ChatException.NotFound("user_not_found", "No such user.");
        ProfileChanged?.Invoke(user);
        return user;
    }

    /// <summary>Finds people by username prefix or display name.</summary>
    public Task<IReadOnlyList<User>> SearchAsync(string? query, CancellationToken cancellationToken = default)
    {
        var q = (query ?? "").Trim();
        if (q.Length is 0 or > 64)
            return Task.FromResult<IReadOnlyList<User>>([]);
        return _store.Users.SearchUsersAsync(q, 20, cancellationToken);
    }

    /// <summary>True when the user is one of the configured administrators.</summary>
    public bool IsAdmin(User user) => _options.Admins.Contains(user.Username, StringComparer.OrdinalIgnoreCase);

    /// <summary>Raised after a password change revoked every token of the user (open sessions must end).</summary>
    public event Action<string>? PasswordChanged;

    /// <summary>Raised after a profile changes (caches of public presence listen).</summary>
    public event Action<User>? ProfileChanged;

    private async Task<string> IssueTokenAsync(string userId, CancellationToken cancellationToken)
    {
        var token = Tokens.New();
        await _store.Users.AddTokenAsync(Tokens.Hash(token), userId, _time.GetUtcNow(), cancellationToken);
        return token;
    }
}
