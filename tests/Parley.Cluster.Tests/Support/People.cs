using System.Diagnostics;

namespace Parley.Cluster.Tests.Support;

/// <summary>Registers people on a chosen node or behind nginx, with names unique to the test.</summary>
public static class People
{
    public static async Task<ImClient> RegisterAsync(IParleyEndpoint at, string prefix)
    {
        var client = new ImClient(at);
        try
        {
            await client.RegisterAsync((prefix + "-" + Guid.NewGuid().ToString("N")[..10]).ToLowerInvariant(), ImClient.DefaultPassword);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    public static async Task<ImClient> OnlineAsync(IParleyEndpoint at, string prefix, ImTransport transport = ImTransport.WebSocket)
    {
        var client = await RegisterAsync(at, prefix);
        // Behind nginx a handshake may land on a node that is just coming back while the connect
        // goes to the one that stood in for it (402 unknown client): handshake again, as clients do.
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                await client.ConnectAsync(transport);
                return client;
            }
            catch (Exception) when (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Signs in again as <paramref name="user"/> at another endpoint (a second device).</summary>
    public static async Task<ImClient> SignInAgainAsync(IParleyEndpoint at, ImClient user)
    {
        var client = new ImClient(at);
        await client.LoginAsync(user.Username, ImClient.DefaultPassword);
        return client;
    }

    /// <summary>Two people online at their endpoints, friends of each other.</summary>
    public static async Task<FriendPair> FriendsAsync(
        IParleyEndpoint firstAt, string first, IParleyEndpoint secondAt, string second, ImTransport secondTransport = ImTransport.WebSocket)
    {
        var a = await OnlineAsync(firstAt, first);
        var b = await OnlineAsync(secondAt, second, secondTransport);
        await a.BefriendAsync(b);
        return new FriendPair(a, b);
    }
}
