namespace Parley.Chat.Storage;

/// <summary>The database could not be reached or refused the operation; nothing was written.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
