namespace Parley.Testing.Im;

/// <summary>Where an <see cref="ImClient"/> finds Parley: an in-process app, one node of a cluster, or the load balancer in front.</summary>
public interface IParleyEndpoint
{
    /// <summary>http://host:port/</summary>
    Uri BaseAddress { get; }

    /// <summary>http://host:port/cometd</summary>
    Uri BayeuxEndpoint { get; }

    /// <summary>A client for the REST API, no cookies, no redirects.</summary>
    HttpClient CreateHttpClient();
}
