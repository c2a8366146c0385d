using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Bayeux.Server;
using Parley.Server.Tests.Support;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary><c>KickPrevious</c> (the default): a new session of a user signs the older ones out.</summary>
public sealed class KickPreviousTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private ParleyApp App => fixture.App;

    [Fact]
    public void SettingsGivenByTheTestOverrideAppsettings()
    {
        Assert.Equal(5_000, App.Services.GetRequiredService<IOptions<BayeuxOptions>>().Value.Timeout);
    }

    [Theory]
    [InlineData(ImTransport.WebSocket)]
    [InlineData(ImTransport.LongPolling)]
    public async Task SecondHandshakeKicksTheFirstSessionWhichIsToldNotToReconnect(ImTransport transport)
    {
        await using var a = await App.OnlineAsync("alice");
        await using var first = await App.OnlineAsync("bob", transport);
        await a.BefriendAsync(first);

        await using var second = await App.LoginAsync(first.Username);
        await second.ConnectAsync(transport);

        var kicked = await first.WaitForAsync("kicked");
        Assert.Equal(first.UserChannel, kicked.Channel);
        await Eventually.WithinAsync(first.ConnectLoop.ContinueWith(_ => true, TaskScheduler.Default), "the kicked session's connect loop to end");
        var last = first.ConnectReplies[^1];
        Assert.Equal("none", last.Advice()?.Str("reconnect"));

        // The new session is the one that receives; the kicked one does not.
        var sent = await a.SendToAsync(second, "to the new session");
        await second.WaitForAsync("message", d => d.Str("id") == sent.Str("id"));
        Assert.Empty(first.Events("message", d => d.Str("id") == sent.Str("id")));
        Assert.Empty(second.Events("kicked"));
    }

    [Fact]
    public async Task TabsOfTheSameBrowserDoNotKickEachOther()
    {
        var browser = new System.Net.CookieContainer();
        var registered = await App.OnlineAsync("carol");
        await registered.DisposeAsync(); // only the account is needed; its session ends here
        await using var firstTab = await App.LoginAsync(registered.Username);
        firstTab.Browser = browser;
        await firstTab.ConnectAsync(ImTransport.LongPolling);
        await using var secondTab = await App.LoginAsync(firstTab.Username);
        secondTab.Browser = browser;
        await secondTab.ConnectAsync(ImTransport.LongPolling);

        // Anything sent to the first tab after the second one came arrives; no kick came before it.
        await firstTab.BarrierAsync();
        Assert.Empty(firstTab.Events("kicked"));
        Assert.Empty(secondTab.Events("kicked"));
    }
}
