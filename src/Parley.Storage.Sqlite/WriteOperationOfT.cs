namespace Parley.Storage.Sqlite;

/// <summary>A write operation whose work returns a value.</summary>
internal sealed class WriteOperation<T> : WriteOperation
{
    private readonly Func<SqliteSession, T> _work;
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _cancellation;
    private T? _result;

    public WriteOperation(Func<SqliteSession, T> work, bool exclusive)
        : base(exclusive) => _work = work;

    public Task<T> Task => _completion.Task;

    public void CancelWith(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
            _cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((WriteOperation<T>)state!).OnCancelled(token), this);
    }

    public override void Execute(SqliteSession session) => _result = _work(session);

    public override void Publish()
    {
        _cancellation.Dispose();
        _completion.TrySetResult(_result!);
    }

    public override void Fail(Exception exception)
    {
        _cancellation.Dispose();
        _result = default;
        _completion.TrySetException(exception);
    }

    private void OnCancelled(CancellationToken token)
    {
        if (TryCancel())
            _completion.TrySetCanceled(token);
    }
}
