namespace Parley.Chat.Storage;

/// <summary>
/// The database could not be reached or refused the operation. Nothing was acknowledged; when the
/// connection broke during a commit the write may have happened, so callers retry idempotent
/// operations (appends carry a clientMsgId).
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
