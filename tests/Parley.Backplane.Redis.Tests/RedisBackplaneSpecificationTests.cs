using Parley.Backplane.Redis.Tests.Support;
using Parley.Bayeux.Backplane;
using Parley.Bayeux.Tests.Backplane;

namespace Parley.Backplane.Redis.Tests;

public sealed class RedisBackplaneSpecificationTests : BackplaneSpecification, IAsyncLifetime
{
    private readonly string _prefix = TestRedis.NewPrefix();

    protected override IBackplane CreateNode(string nodeId) => TestRedis.Backplane(TestRedis.Options(nodeId, _prefix));

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await TestRedis.DeletePrefixAsync(_prefix);
    }
}
