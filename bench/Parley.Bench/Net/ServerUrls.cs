namespace Parley.Bench.Net;

/// <summary>
/// The Bayeux endpoints of <c>--url</c>: one URL, or a comma-separated list (the nodes of a
/// cluster). Client <c>g</c> (global index, whatever process opens it) talks to URL
/// <c>g mod n</c>, so every generator process spreads its slice evenly over the nodes.
/// </summary>
internal sealed class ServerUrls
{
    public const string Default = "http://127.0.0.1:5080/cometd";

    private readonly Uri[] _urls;

    private ServerUrls(Uri[] urls) => _urls = urls;

    public static ServerUrls Parse(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
            throw new ArgumentException("--url is empty");
        var urls = new Uri[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            urls[i] = Uri.TryCreate(parts[i], UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
                ? u
                : throw new ArgumentException($"--url: '{parts[i]}' is not an http(s) URL");
        return new ServerUrls(urls);
    }

    public int Count => _urls.Length;

    public Uri First => _urls[0];

    /// <summary>Which URL client <paramref name="client"/> uses (round-robin by global index).</summary>
    public int IndexOf(int client) => client % _urls.Length;

    public Uri For(int client) => _urls[IndexOf(client)];

    public Uri this[int index] => _urls[index];
}
