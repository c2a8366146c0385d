namespace Parley.Cluster.Tests.Support;

/// <summary>Two friends online; disposing signs both out of the test.</summary>
public sealed record FriendPair(ImClient First, ImClient Second) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }
}
