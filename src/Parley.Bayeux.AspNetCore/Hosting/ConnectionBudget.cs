using System.Text;
using Microsoft.AspNetCore.Connections;

namespace Parley.Bayeux.AspNetCore.Hosting;

/// <summary>
/// One limit for every TCP connection of the process, plain or upgraded (Kestrel counts the two
/// separately, so their sum could pass the file-descriptor cap). A connection over the budget is
/// answered <c>503</c> and closed at once, so the process never runs out of descriptors.
/// </summary>
internal sealed class ConnectionBudget(int limit)
{
    private static readonly byte[] Refusal = Encoding.ASCII.GetBytes(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 20\r\nRetry-After: 5\r\nConnection: close\r\n\r\nserver at capacity\r\n");

    private int _open;

    public int Open => Volatile.Read(ref _open);

    public int Limit { get; } = limit;

    public long Refused;

    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (Interlocked.Increment(ref _open) > Limit)
        {
            Interlocked.Decrement(ref _open);
            Interlocked.Increment(ref Refused);
            try
            {
                await connection.Transport.Output.WriteAsync(Refusal);
                await connection.Transport.Output.CompleteAsync();
            }
            catch (Exception ex) when (ex is IOException or ConnectionResetException or InvalidOperationException)
            {
            }
            return;
        }
        try
        {
            await next(connection);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    };
}
