using System.Threading.Channels;
using Parley.Bayeux.Messages;

namespace Parley.Bayeux.Backplane;

/// <summary>
/// A backplane node whose medium is an <see cref="InMemoryBackplaneHub"/>: the reference
/// implementation every backplane's specification tests are checked against. Each node receives
/// in publish order on its own reader.
/// </summary>
public sealed class InMemoryBackplane : IBackplane
{
    private readonly InMemoryBackplaneHub _hub;
    private readonly Channel<BackplaneMessage> _inbox = Channel.CreateUnbounded<BackplaneMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _reader;

    internal InMemoryBackplane(InMemoryBackplaneHub hub, string nodeId)
    {
        _hub = hub;
        NodeId = nodeId;
    }

    /// <inheritdoc />
    public string NodeId { get; }

    /// <inheritdoc />
    public ValueTask StartAsync(Func<BackplaneMessage, ValueTask> onMessage, CancellationToken cancellationToken)
    {
        if (_reader is not null)
            throw new InvalidOperationException("The backplane is already started.");
        _reader = ReadAsync(onMessage, _stopping.Token);
        _hub.Join(this);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask PublishAsync(EncodedMessage message, CancellationToken cancellationToken)
    {
        _hub.Broadcast(new BackplaneMessage(NodeId, message.Channel, message.Utf8Json));
        return ValueTask.CompletedTask;
    }

    internal void Receive(BackplaneMessage message) => _inbox.Writer.TryWrite(message);

    private async Task ReadAsync(Func<BackplaneMessage, ValueTask> onMessage, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _inbox.Reader.ReadAllAsync(cancellationToken))
                await onMessage(message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _hub.Leave(this);
        _inbox.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_reader is not null)
            await _reader;
        _stopping.Dispose();
    }
}
