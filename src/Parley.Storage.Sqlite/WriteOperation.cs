namespace Parley.Storage.Sqlite;

/// <summary>
/// A unit of work queued for the writer. Its result is held back until the batch transaction
/// commits, so no caller ever sees a write that could still be rolled back.
/// </summary>
internal abstract class WriteOperation
{
    private const int Queued = 0;
    private const int Claimed = 1;
    private const int Cancelled = 2;

    private int _state;

    protected WriteOperation(bool exclusive) => Exclusive = exclusive;

    /// <summary>Runs alone, outside any batch transaction, and manages its own transactions (migrations).</summary>
    public bool Exclusive { get; }

    /// <summary>The writer takes the operation; from then on cancellation no longer applies.</summary>
    public bool TryClaim() => Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;

    /// <summary>Runs the work on the writer's connection and keeps its result.</summary>
    public abstract void Execute(SqliteSession session);

    /// <summary>Hands the kept result to the caller, once it is durable.</summary>
    public abstract void Publish();

    /// <summary>Fails the caller; nothing of the operation was written.</summary>
    public abstract void Fail(Exception exception);

    /// <summary>Cancels the caller's wait if the writer has not taken the operation yet.</summary>
    protected bool TryCancel() => Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued;
}
