namespace Parley.Cluster.Tests.Support;

/// <summary>One node of the cluster, or nginx in front of them all.</summary>
public sealed class ClusterEndpoint(string name, Uri baseAddress) : IParleyEndpoint
{
    public string Name { get; } = name;

    public Uri BaseAddress { get; } = baseAddress;

    public Uri BayeuxEndpoint => new(BaseAddress, "/cometd");

    public HttpClient CreateHttpClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
    {
        BaseAddress = BaseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public override string ToString() => $"{Name} ({BaseAddress})";
}
