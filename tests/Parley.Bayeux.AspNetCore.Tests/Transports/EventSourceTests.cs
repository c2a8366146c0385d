using Parley.Bayeux.AspNetCore.Tests.Support;
using Parley.Testing;

namespace Parley.Bayeux.AspNetCore.Tests.Transports;

/// <summary>The eventsource transport: connects are never held, deliveries come down the stream.</summary>
public sealed class EventSourceTests : TransportSpecification
{
    private protected override BayeuxClient CreateClient(TestHost host) => new EventSourceClient(host.Endpoint);

    [Fact]
    public async Task StreamIsAnEventStream()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new EventSourceClient(host.Endpoint);

        await client.HandshakeAsync();
        Assert.Equal(200, client.StreamStatus);
        Assert.Equal("text/event-stream", client.StreamContentType);
    }

    [Fact]
    public async Task ConnectReturnsAtOnceWithEventSourceAdvice()
    {
        await using var host = await TestHost.StartAsync(o => o.Timeout = 60_000);
        await using var client = new EventSourceClient(host.Endpoint);
        await client.HandshakeAsync();

        var response = await Eventually.WithinAsync(client.ConnectAsync(), "the eventsource connect to return at once");
        var reply = response.Reply;
        Assert.True(reply.Bool("successful") == true, response.ToString());
        Assert.Equal(0, reply.Advice()?.Long("timeout"));
        Assert.Equal(60_000, reply.Advice()?.Long("interval"));
    }

    [Fact]
    public async Task DisconnectEndsTheEventStreamPromptly()
    {
        await using var host = await TestHost.StartAsync(o => o.Timeout = 60_000);
        await using var client = new EventSourceClient(host.Endpoint);
        await client.StartSessionAsync();
        Assert.False(client.StreamEnded.IsCompleted);

        var disconnect = await client.DisconnectAsync();
        Assert.True(disconnect.Bool("successful") == true, disconnect.ToJsonString());
        await Eventually.WithinAsync(client.StreamEnded.ContinueWith(_ => true, TaskScheduler.Default), "the event stream to end after the disconnect");
        Assert.Equal(0, host.Server.SessionCount);
    }

    [Fact]
    public async Task StreamOfAnUnknownClientIsNotFound()
    {
        await using var host = await TestHost.StartAsync();
        await using var client = new EventSourceClient(host.Endpoint);

        await client.OpenStreamAsync("0123456789abcdef0123456789abcdef");
        Assert.Equal(404, client.StreamStatus);
    }
}
