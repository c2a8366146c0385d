// Faye's browser client in Chromium on its eventsource transport (text/event-stream for
// server -> client, POST for client -> server), exchanging messages with a Node-side Faye peer.
//
// Faye offers eventsource only for a same-origin endpoint, so the page reaches Parley through
// the page server's /cometd forwarding, as it would behind a reverse proxy serving both.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServers, launchBrowser, openPage, waitInPage, waitFor, pageReport, screenshot,
  startFayePeer, uniqueChannel, fromNode, fromPage, bayeuxMessages,
} from './harness.mjs';

describe('Faye client in Chromium', () => {
  let servers;
  let browser;

  before(async () => {
    servers = await startServers();
    servers.pages.proxy('/cometd', servers.parley.url);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await servers?.stop();
  });

  test('exchanges messages over eventsource', { timeout: 60_000 }, async () => {
    const channel = uniqueChannel('eventsource');
    let peer;
    let opened;
    const pageDetails = () => pageReport(opened, servers);
    try {
      peer = await startFayePeer(servers.endpoint, channel, servers);
      const query = new URLSearchParams({ server: `${servers.pages.origin}/cometd`, disable: 'websocket', channel });
      opened = await openPage(browser, `${servers.pages.origin}/pages/faye.html?${query}`);
      await waitInPage(opened, () => ['subscribed', 'failed'].includes(window.parley?.state.status),
        { what: 'the Faye page to handshake and subscribe', server: servers });
      assert.equal((await opened.state()).status, 'subscribed', await pageDetails());
      assert.equal(await opened.page.evaluate(() => window.parley.transport()), 'eventsource',
        `Faye chose another transport than eventsource\n${await pageDetails()}`);

      // Node -> page, delivered on the event stream.
      await peer.publish(fromNode);
      await waitInPage(opened, () => window.parley.state.rawDeliveries.some((m) => m.data?.from === 'node'),
        { what: 'the page to receive the Node peer\'s message', server: servers });
      const atPage = (await opened.state()).rawDeliveries.find((m) => m.data?.from === 'node');
      assert.equal(atPage.channel, channel);
      assert.deepEqual(atPage.data, fromNode);
      assert.equal(atPage.clientId, undefined, `a broadcast carried the publisher's clientId: ${JSON.stringify(atPage)}`);
      assert.equal(atPage.id, undefined, `a broadcast carried the publisher's message id: ${JSON.stringify(atPage)}`);
      assert.deepEqual((await opened.state()).received.find((d) => d.from === 'node'), fromNode);
      // ...and it came on the event stream, not in a POST reply.
      const clientId = await opened.page.evaluate(() => window.parley.clientId());
      const streams = opened.wire.requests.filter((r) => r.type === 'eventsource');
      assert.deepEqual(streams.map((r) => `${r.method} ${r.url}`), [`GET ${servers.pages.origin}/cometd/${clientId}`]);
      assert.ok(bayeuxMessages(opened.wire.eventStreamMessages).some((m) => m.data?.from === 'node'),
        `the Node peer's message did not arrive on the event stream: ${JSON.stringify(opened.wire.eventStreamMessages)}`);
      assert.deepEqual(opened.wire.webSockets, []);

      // Page -> Node.
      await opened.page.evaluate((data) => window.parley.publish(data), fromPage);
      await waitFor(() => peer.deliveries.some((m) => m.data?.from === 'page'), {
        what: 'the Node peer to receive the page\'s message',
        details: () => `peer deliveries: ${JSON.stringify(peer.deliveries)}\npeer meta failures: ${JSON.stringify(peer.metaFailures)}`,
      });
      const atPeer = peer.deliveries.find((m) => m.data?.from === 'page');
      assert.equal(atPeer.channel, channel);
      assert.deepEqual(atPeer.data, fromPage);
      assert.equal(atPeer.clientId, undefined, `a broadcast carried the publisher's clientId: ${JSON.stringify(atPeer)}`);

      await waitInPage(opened, () => window.parley.state.publishReplies.length > 0
        && window.parley.state.received.some((d) => d.from === 'page'),
        { what: 'the page\'s publish to succeed and come back on its own subscription', server: servers });
      const final = await opened.state();
      assert.deepEqual(final.publishReplies[0], { successful: true });
      assert.deepEqual(final.received.find((d) => d.from === 'page'), fromPage);
      assert.equal(await opened.page.evaluate(() => window.parley.transport()), 'eventsource',
        `Faye left eventsource after traffic\n${await pageDetails()}`);
      await opened.page.evaluate(() => window.parley.disconnect());
    } finally {
      if (opened) {
        await screenshot(opened, 'faye-eventsource');
        await opened.close();
      }
      peer?.stop();
    }
  });
});
