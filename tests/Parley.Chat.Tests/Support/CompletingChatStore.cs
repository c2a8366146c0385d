using Parley.Chat.Storage;

namespace Parley.Chat.Tests.Support;

/// <summary>A view of a store whose calls have all finished when they return (see <see cref="CompletingProxy{T}"/>). Does not own the store.</summary>
public sealed class CompletingChatStore(IChatStore inner) : IChatStore
{
    public IUserStore Users { get; } = CompletingProxy<IUserStore>.Wrap(inner.Users);

    public IFriendStore Friends { get; } = CompletingProxy<IFriendStore>.Wrap(inner.Friends);

    public IConversationStore Conversations { get; } = CompletingProxy<IConversationStore>.Wrap(inner.Conversations);

    public IGroupStore Groups { get; } = CompletingProxy<IGroupStore>.Wrap(inner.Groups);

    public IFileStore Files { get; } = CompletingProxy<IFileStore>.Wrap(inner.Files);

    public Task MigrateAsync(CancellationToken cancellationToken = default) => inner.MigrateAsync(cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
