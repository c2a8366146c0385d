using System.Threading.Channels;
using Parley.Bayeux.Channels;
using Parley.Bayeux.Messages;

namespace Parley.Bayeux.Backplane;

/// <summary>
/// A backplane node whose medium is an <see cref="InMemoryBackplaneHub"/>: the reference
/// implementation every backplane's specification tests are checked against. Each node receives
/// in publish order on its own reader, and only broadcasts it has a subscription for.
/// </summary>
public sealed class InMemoryBackplane : IBackplane
{
    private readonly InMemoryBackplaneHub _hub;
    private readonly Channel<BackplaneMessage> _inbox = Channel.CreateUnbounded<BackplaneMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<string, int> _interest = new(StringComparer.Ordinal);
    private readonly ChannelPatternMap<string> _interestIndex = new();
    private Task? _reader;

    internal InMemoryBackplane(InMemoryBackplaneHub hub, string nodeId)
    {
        _hub = hub;
        NodeId = nodeId;
    }

    /// <inheritdoc />
    public string NodeId { get; }

    /// <inheritdoc />
    public bool IsConnected => _reader is not null;

    /// <inheritdoc />
    public event Action? Restored;

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

    /// <inheritdoc />
    public ValueTask AddInterestAsync(string channel, CancellationToken cancellationToken)
    {
        lock (_interest)
        {
            var count = _interest.GetValueOrDefault(channel);
            _interest[channel] = count + 1;
            if (count == 0)
                _interestIndex.Add(channel, channel);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public void RemoveInterest(string channel)
    {
        lock (_interest)
        {
            if (!_interest.TryGetValue(channel, out var count))
                return;
            if (count > 1)
            {
                _interest[channel] = count - 1;
                return;
            }
            _interest.Remove(channel);
            _interestIndex.Remove(channel, channel);
        }
    }

    /// <summary>Tells this node that broadcasts may have been lost (tests of outage handling).</summary>
    public void SimulateRestored() => Restored?.Invoke();

    internal void Receive(BackplaneMessage message)
    {
        bool wanted;
        lock (_interest)
            wanted = _interestIndex.AnyMatch(message.Channel);
        if (wanted)
            _inbox.Writer.TryWrite(message);
    }

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
