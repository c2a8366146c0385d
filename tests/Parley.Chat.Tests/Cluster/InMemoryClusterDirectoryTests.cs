using Parley.Chat.Cluster;

namespace Parley.Chat.Tests.Cluster;

public sealed class InMemoryClusterDirectoryTests : ClusterDirectorySpecification
{
    private readonly InMemoryClusterHub _hub = new();

    protected override IClusterDirectory CreateNode(string nodeId) => _hub.CreateNode(nodeId);

    protected override Task KillAsync(IClusterDirectory node)
    {
        _hub.Kill(node.NodeId);
        return Task.CompletedTask;
    }
}
