namespace Parley.Chat.Accounts;

/// <summary>The result of a registration or login: the user and a new bearer token (shown once).</summary>
public sealed record SignedIn(User User, string Token);
