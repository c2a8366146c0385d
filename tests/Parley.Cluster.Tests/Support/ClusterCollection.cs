namespace Parley.Cluster.Tests.Support;

/// <summary>
/// Every test shares one cluster and runs alone: some stop parts of it. Each test leaves the
/// cluster whole again, whatever it did, so none depends on another's order.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
