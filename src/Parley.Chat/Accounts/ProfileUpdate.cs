namespace Parley.Chat.Accounts;

/// <summary>Fields of a profile to change; null leaves a field as it is.</summary>
public sealed record ProfileUpdate(string? DisplayName = null, string? StatusMessage = null, bool? PublicPresence = null);
