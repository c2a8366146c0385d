using Parley.Bayeux.Messages;
using Parley.Bayeux.Sessions;
using Parley.Bayeux.Tests.Support;

namespace Parley.Bayeux.Tests.Sessions;

public sealed class AckStateTests
{
    private static EncodedMessage Message(int n) => BayeuxCodec.EncodeDelivery("/a/b", Json.Parse(n.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static Queue<EncodedMessage> QueueOf(params EncodedMessage[] messages) => new(messages);

    [Fact]
    public void BatchesAreNumberedFromOne()
    {
        var ack = new AckState();

        Assert.Equal(1, ack.TakeBatch(null, []));
        Assert.Equal(2, ack.TakeBatch(QueueOf(), []));
        Assert.Equal(3, ack.TakeBatch(QueueOf(Message(1)), []));
        Assert.Equal(4, ack.NextBatch);
    }

    [Fact]
    public void TakingABatchEmptiesTheFreshQueue()
    {
        var ack = new AckState();
        var fresh = QueueOf(Message(1), Message(2));
        var into = new List<EncodedMessage>();

        ack.TakeBatch(fresh, into);

        Assert.Empty(fresh);
        Assert.Equal(2, into.Count);
        Assert.Equal(2, ack.Unacknowledged);
    }

    [Fact]
    public void UnacknowledgedMessagesAreSentAgainBeforeNewOnes()
    {
        var ack = new AckState();
        var one = Message(1);
        var two = Message(2);
        ack.TakeBatch(QueueOf(one), []);

        var into = new List<EncodedMessage>();
        ack.TakeBatch(QueueOf(two), into);

        Assert.Equal([one, two], into);
        Assert.Equal(2, ack.Unacknowledged);
    }

    [Fact]
    public void AcknowledgedBatchesAreForgotten()
    {
        var ack = new AckState();
        var one = Message(1);
        var two = Message(2);
        var first = ack.TakeBatch(QueueOf(one), []);
        ack.TakeBatch(QueueOf(two), []);

        ack.Acknowledge(first);

        Assert.Equal(1, ack.Unacknowledged);
        var into = new List<EncodedMessage>();
        ack.TakeBatch(null, into);
        Assert.Equal([two], into);
    }

    [Fact]
    public void AcknowledgingALaterBatchForgetsEveryEarlierOne()
    {
        var ack = new AckState();
        ack.TakeBatch(QueueOf(Message(1)), []);
        ack.TakeBatch(QueueOf(Message(2)), []);
        var third = ack.TakeBatch(QueueOf(Message(3)), []);

        ack.Acknowledge(third);

        Assert.Equal(0, ack.Unacknowledged);
    }

    [Fact]
    public void AcknowledgingAnUnknownOrOldBatchChangesNothing()
    {
        var ack = new AckState();
        ack.TakeBatch(QueueOf(Message(1)), []);

        ack.Acknowledge(0);
        ack.Acknowledge(-1);

        Assert.Equal(1, ack.Unacknowledged);
    }
}
