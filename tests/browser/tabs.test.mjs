// Two tabs of one browser on long-polling. They share the BAYEUX_BROWSER cookie, so only one
// may hold a long poll (HTTP/1.1 allows six connections per host, and every held poll keeps
// one busy); the other is told `multiple-clients` and polls instead. Both keep receiving.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServers, launchBrowser, openPage, waitInPage, waitFor, pageReport, screenshot,
  startFayePeer, uniqueChannel, fromNode,
} from './harness.mjs';

describe('two tabs of one browser', () => {
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

  test('the second tab on long-polling is advised to poll and still receives', { timeout: 60_000 }, async () => {
    const channel = uniqueChannel('tabs');
    const context = await browser.newContext();
    const url = `${servers.pages.origin}/pages/cometd.html?${new URLSearchParams({ server: servers.endpoint, transport: 'long-polling', channel })}`;
    let peer;
    let first;
    let second;
    try {
      peer = await startFayePeer(servers.endpoint, channel, servers);

      first = await openPage(context, url);
      await waitInPage(first, () => window.parley?.state.status === 'subscribed',
        { what: 'the first tab to subscribe', server: servers });
      // The first tab's second connect is the one the server holds: wait until it is sent.
      await waitFor(() => first.wire.requests.filter((r) => r.url.startsWith(`${servers.endpoint}/connect`)).length >= 2,
        { what: 'the first tab to send the connect the server holds' });

      second = await openPage(context, url);
      await waitInPage(second, () => window.parley?.state.status === 'subscribed',
        { what: 'the second tab to subscribe', server: servers });
      await waitInPage(second, () => window.parley.state.connectAdvice.some((advice) => advice?.['multiple-clients'] === true),
        { what: 'a connect reply to the second tab advising multiple-clients', server: servers, timeout: 10_000 });
      const advised = (await second.state()).connectAdvice.find((advice) => advice?.['multiple-clients'] === true);
      assert.ok(advised.interval > 0, `multiple-clients advice without a polling interval: ${JSON.stringify(advised)}`);
      assert.equal(advised.reconnect ?? 'retry', 'retry', JSON.stringify(advised));

      const firstAdvice = (await first.state()).connectAdvice;
      assert.ok(!firstAdvice.some((advice) => advice?.['multiple-clients']),
        `the tab that holds the long poll was advised multiple-clients too: ${JSON.stringify(firstAdvice)}`);

      await peer.publish(fromNode);
      for (const [name, tab] of [['first', first], ['second', second]]) {
        await waitInPage(tab, () => window.parley.state.received.some((m) => m.data?.from === 'node'),
          { what: `the ${name} tab to receive the Node peer's message`, server: servers });
        assert.deepEqual((await tab.state()).received.find((m) => m.data?.from === 'node').data, fromNode,
          await pageReport(tab, servers));
        assert.equal(await tab.page.evaluate(() => window.parley.transport()), 'long-polling');
      }
    } finally {
      if (first) await screenshot(first, 'tabs-first');
      if (second) await screenshot(second, 'tabs-second');
      await context.close();
      peer?.stop();
    }
  });
});
