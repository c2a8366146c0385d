using System.Reflection;

namespace Parley.Chat.Tests.Support;

/// <summary>
/// Wraps a store interface so that every call has finished before it returns: the task handed
/// back is already complete. Code that fires work from a timer (presence pushes) then runs to its
/// end inside <c>FakeTimeProvider.Advance</c>, so a test can assert that something did NOT
/// happen without sleeping. The inner call runs on the thread pool, away from xunit's
/// synchronization context, so the blocking wait cannot deadlock.
/// </summary>
public class CompletingProxy<T> : DispatchProxy where T : class
{
    private T? _inner;

    /// <summary>The wrapped interface.</summary>
    public static T Wrap(T inner)
    {
        var proxy = Create<T, CompletingProxy<T>>();
        ((CompletingProxy<T>)(object)proxy)._inner = inner;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var inner = _inner ?? throw new InvalidOperationException("Not wrapped.");
        if (!typeof(Task).IsAssignableFrom(targetMethod.ReturnType))
            return targetMethod.Invoke(inner, args);
        return Task.Run(async () =>
        {
            var task = (Task)targetMethod.Invoke(inner, args)!;
            try
            {
                await task;
            }
            catch
            {
                // The faulted task itself is handed back; its awaiter rethrows.
            }
            return task;
        }).GetAwaiter().GetResult();
    }
}
