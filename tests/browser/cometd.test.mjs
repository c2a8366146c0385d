// The official cometd JavaScript client in Chromium, on each of its three transports, served
// from another origin than Parley's, exchanging messages with a Node-side Faye peer.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServers, launchBrowser, openPage, waitInPage, waitFor, pageReport, screenshot,
  startFayePeer, uniqueChannel, fromNode, fromPage, bayeuxMessages,
} from './harness.mjs';

describe('cometd client in Chromium', () => {
  let servers;
  let browser;

  before(async () => {
    servers = await startServers();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await servers?.stop();
  });

  async function exchange(transport) {
    const channel = uniqueChannel(transport);
    let peer;
    let opened;
    const pageDetails = () => pageReport(opened, servers);
    try {
      peer = await startFayePeer(servers.endpoint, channel, servers);
      const query = new URLSearchParams({ server: servers.endpoint, transport, channel });
      opened = await openPage(browser, `${servers.pages.origin}/pages/cometd.html?${query}`);
      await waitInPage(opened, () => ['subscribed', 'failed'].includes(window.parley?.state.status),
        { what: `the page to handshake and subscribe over ${transport}`, server: servers });
      const afterSubscribe = await opened.state();
      assert.equal(afterSubscribe.status, 'subscribed', await pageDetails());
      assert.equal(await opened.page.evaluate(() => window.parley.transport()), transport,
        `the cometd client negotiated another transport than ${transport}\n${await pageDetails()}`);
      assert.deepEqual(afterSubscribe.transportExceptions, [], `the client fell back from a transport\n${await pageDetails()}`);

      // Node -> page.
      await peer.publish(fromNode);
      await waitInPage(opened, (expected) => window.parley.state.received.some((m) => m.data?.from === expected),
        { what: 'the page to receive the Node peer\'s message', server: servers, arg: 'node' });
      const atPage = (await opened.state()).received.find((m) => m.data?.from === 'node');
      assert.equal(atPage.channel, channel);
      assert.deepEqual(atPage.data, fromNode);
      assert.equal(atPage.clientId, undefined, `a broadcast carried the publisher's clientId: ${JSON.stringify(atPage)}`);
      assert.equal(atPage.id, undefined, `a broadcast carried the publisher's message id: ${JSON.stringify(atPage)}`);

      // Page -> Node (and back to the page, which is subscribed to the same channel).
      await opened.page.evaluate((data) => window.parley.publish(data), fromPage);
      await waitFor(() => peer.deliveries.some((m) => m.data?.from === 'page'), {
        what: `the Node peer to receive the page's message over ${transport}`,
        details: () => `peer deliveries: ${JSON.stringify(peer.deliveries)}\npeer meta failures: ${JSON.stringify(peer.metaFailures)}`,
      });
      const atPeer = peer.deliveries.find((m) => m.data?.from === 'page');
      assert.equal(atPeer.channel, channel);
      assert.deepEqual(atPeer.data, fromPage);
      assert.equal(atPeer.clientId, undefined, `a broadcast carried the publisher's clientId: ${JSON.stringify(atPeer)}`);
      assert.equal(atPeer.id, undefined, `a broadcast carried the publisher's message id: ${JSON.stringify(atPeer)}`);

      await waitInPage(opened, () => window.parley.state.publishReplies.length > 0
        && window.parley.state.received.some((m) => m.data?.from === 'page'),
        { what: 'the page\'s publish reply and its own message', server: servers });
      const final = await opened.state();
      assert.equal(final.publishReplies[0].successful, true, `publish reply: ${JSON.stringify(final.publishReplies[0])}`);
      assert.deepEqual(final.received.find((m) => m.data?.from === 'page').data, fromPage);
      // Still on the same transport after traffic in both directions.
      assert.equal(await opened.page.evaluate(() => window.parley.transport()), transport);
      assert.deepEqual(final.transportExceptions, []);

      assertWireMatches(transport, opened.wire);
      if (transport !== 'websocket') await assertHttpHeaders(transport, opened);

      const disconnect = await opened.page.evaluate(() => window.parley.disconnect());
      assert.equal(disconnect.successful, true, `disconnect reply: ${JSON.stringify(disconnect)}`);
    } finally {
      if (opened) {
        await screenshot(opened, `cometd-${transport}`);
        await opened.close();
      }
      peer?.stop();
    }
  }

  // The page's own report of its transport, checked against the traffic Chromium saw.
  function assertWireMatches(transport, wire) {
    const toParley = wire.requests.filter((r) => r.url.startsWith(servers.parley.url));
    const posts = toParley.filter((r) => r.method === 'POST');
    const scripts = toParley.filter((r) => r.type === 'script' && new URL(r.url).searchParams.has('jsonp'));
    const summary = JSON.stringify({ requests: toParley.map((r) => `${r.method} ${r.type} ${r.url.slice(0, 120)}`), webSockets: wire.webSockets });
    if (transport === 'websocket') {
      assert.ok(wire.webSockets.some((url) => url === servers.endpoint.replace(/^http/, 'ws')), summary);
      assert.ok(bayeuxMessages(wire.webSocketFramesIn).some((m) => m.data?.from === 'node'),
        `the Node peer's message did not arrive in a WebSocket frame: ${summary}`);
      assert.equal(posts.length + scripts.length, 0, `HTTP transport traffic beside the WebSocket: ${summary}`);
    } else if (transport === 'long-polling') {
      assert.ok(posts.length > 0, summary);
      assert.equal(wire.webSockets.length + scripts.length, 0, summary);
    } else {
      assert.ok(scripts.length > 0, summary);
      assert.equal(wire.webSockets.length + posts.length, 0, summary);
    }
  }

  // Chromium already enforces CORS on the XHRs; these are the headers it does not insist on.
  async function assertHttpHeaders(transport, opened) {
    const handshake = opened.wire.responses.find((r) => r.url.startsWith(`${servers.endpoint}/handshake`));
    assert.ok(handshake, `no handshake response seen: ${JSON.stringify(opened.wire.responses.map((r) => r.url))}`);
    const headers = handshake.headers;
    const shown = `${handshake.method} ${handshake.url.slice(0, 100)} -> ${handshake.status} ${JSON.stringify(headers)}`;
    assert.equal(handshake.status, 200, shown);
    if (transport === 'long-polling') {
      assert.match(headers['content-type'] ?? '', /^application\/json/, shown);
      assert.equal(headers['access-control-allow-origin'], servers.pages.origin, shown);
      assert.equal(headers['access-control-allow-credentials'], 'true', shown);
    } else {
      assert.match(headers['content-type'] ?? '', /^text\/javascript/, shown);
      assert.equal(headers['x-content-type-options'], 'nosniff', shown);
      assert.match(headers['cache-control'] ?? '', /no-store/, shown);
    }
    const browserCookie = (await opened.cookies()).find((c) => c.name === 'BAYEUX_BROWSER');
    assert.ok(browserCookie, `no BAYEUX_BROWSER cookie after a ${transport} handshake: ${shown}`);
    assert.equal(browserCookie.httpOnly, true, JSON.stringify(browserCookie));
  }

  test('exchanges messages over websocket', { timeout: 60_000 }, () => exchange('websocket'));

  test('exchanges messages over long-polling with cross-origin CORS', { timeout: 60_000 }, () => exchange('long-polling'));

  test('exchanges messages over callback-polling (JSONP) cross-origin', { timeout: 60_000 }, () => exchange('callback-polling'));
});
