using Parley.Bayeux.Backplane;

namespace Parley.Bayeux.Tests.Backplane;

public sealed class InMemoryBackplaneSpecificationTests : BackplaneSpecification
{
    private readonly InMemoryBackplaneHub _hub = new();

    protected override IBackplane CreateNode(string nodeId) => _hub.CreateNode(nodeId);
}
