using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Parley.Bayeux.Backplane;
using Parley.Bayeux.Channels;
using Parley.Bayeux.Messages;
using Parley.Bayeux.Server;

namespace Parley.Bayeux.Tests.Support;

/// <summary>
/// A fresh engine on a fake clock, driven through <see cref="BayeuxServer.ProcessAsync"/> the way a
/// transport drives it. One per test.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TestServer(Action<BayeuxOptions>? configure = null, IBackplane? backplane = null)
    {
        Options = new BayeuxOptions
        {
            AllowAnonymous = true,
            OpenChannels = ["/open/**", "/a/**"],
            Timeout = 5_000,
            Interval = 0,
            MaxInterval = 10_000,
            SweepInterval = 1_000,
        };
        configure?.Invoke(Options);
        Server = new BayeuxServer(Options, Time, backplane: backplane);
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public BayeuxOptions Options { get; }

    public BayeuxServer Server { get; }

    public FakeRequestContext Context { get; } = new();

    public Task StartAsync() => Server.StartAsync();

    /// <summary>Moves the clock one step at a time so every periodic sweep runs at its own instant.</summary>
    public void Advance(TimeSpan span)
    {
        var step = TimeSpan.FromMilliseconds(100);
        while (span > TimeSpan.Zero)
        {
            var next = span < step ? span : step;
            Time.Advance(next);
            span -= next;
        }
    }

    public void AdvanceMs(long milliseconds) => Advance(TimeSpan.FromMilliseconds(milliseconds));

    public async Task<BatchResult> SendAsync(params BayeuxMessage[] messages) =>
        await Server.ProcessAsync(messages, Context, CancellationToken.None);

    public async Task<BayeuxMessage> SendOneAsync(BayeuxMessage message)
    {
        var result = await SendAsync(message);
        return Assert.Single(result.Replies);
    }

    public async Task<string> HandshakeAsync(JsonObject? ext = null)
    {
        var reply = await SendOneAsync(new BayeuxMessage
        {
            Channel = ChannelName.Handshake,
            Id = "hs",
            Version = "1.0",
            SupportedConnectionTypes = ["long-polling"],
            Ext = ext,
        });
        Assert.True(reply.Successful, reply.Error);
        return Assert.IsType<string>(reply.ClientId);
    }

    public Task<BayeuxMessage> SubscribeAsync(string clientId, string subscription) =>
        SendOneAsync(new BayeuxMessage
        {
            Channel = ChannelName.Subscribe,
            ClientId = clientId,
            Id = "sub",
            Subscription = Json.String(subscription),
        });

    public Task<BayeuxMessage> PublishAsync(string clientId, string channel, string dataJson = "{\"text\":\"hi\"}", string id = "pub") =>
        SendOneAsync(new BayeuxMessage { Channel = channel, ClientId = clientId, Id = id, Data = Json.Parse(dataJson) });

    /// <summary>Sends a connect and returns what the transport must wait on.</summary>
    public async Task<PendingConnect> ConnectAsync(string clientId, long? timeout = null, JsonObject? ext = null)
    {
        var result = await SendAsync(new BayeuxMessage
        {
            Channel = ChannelName.Connect,
            ClientId = clientId,
            Id = "c",
            ConnectionType = "long-polling",
            Advice = timeout is long t ? new Advice { Timeout = t } : null,
            Ext = ext,
        });
        Assert.Empty(result.Replies);
        return Assert.IsType<PendingConnect>(result.Connect);
    }

    /// <summary>Answers a connect whose wait is over, as a transport does: builds the reply, writes it, reports the write.</summary>
    public async Task<ConnectAnswer> AnswerAsync(PendingConnect pending, bool written = true)
    {
        var wake = await pending.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        var deliveries = new List<EncodedMessage>();
        var reply = Server.CompleteConnect(pending, wake, deliveries);
        Server.ConnectWritten(pending, written);
        return new ConnectAnswer(wake, reply, deliveries);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
