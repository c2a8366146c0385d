// Disconnecting: the held connect is completed, the disconnect is answered, and a CometD client
// over WebSocket can close its socket (it does so only when the held /meta/connect reply comes
// before, or in the same frame ahead of, the /meta/disconnect reply).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  usePool, TRANSPORTS, waitFor, within, handshake, connected, subscribe, fayeSubscribe, openWebSockets, uniqueChannel,
} from './support.mjs';

let pool;
usePool((p) => { pool = p; });

const incoming = (client, channel) => client.wire.filter((entry) => entry.direction === '<-' && entry.message.channel === channel).map((entry) => entry.message);

function disconnect(client) {
  return within(new Promise((resolve) => client.disconnect(resolve)), 5_000, `${client.label} disconnect reply`, client);
}

for (const transport of TRANSPORTS) {
  describe(`CometD over ${transport}`, () => {
    test('disconnecting completes the held connect and is answered successfully', async () => {
      const client = pool.cometd(transport);
      await handshake(client);
      await connected(client);
      // The second connect is the held one.
      await waitFor(() => client.wire.filter((entry) => entry.direction === '->' && entry.message.channel === '/meta/connect').length === 2,
        5_000, 'the held connect', client);
      const reply = await disconnect(client);
      assert.equal(reply.successful, true, JSON.stringify(reply));
      await waitFor(() => incoming(client, '/meta/connect').length === 2, 5_000, 'the held connect to complete', client);
      assert.equal(client.getStatus(), 'disconnected');
    });
  });
}

describe('CometD over websocket', () => {
  test('a client closes its WebSocket after disconnecting, even right after a burst of publishes', async () => {
    const channel = uniqueChannel('/bye');
    for (let round = 0; round < 5; round++) {
      const subscriber = pool.cometd('websocket', { label: `subscriber round ${round}` });
      const publisher = pool.cometd('websocket', { label: `publisher round ${round}` });
      await Promise.all([handshake(subscriber), handshake(publisher)]);
      await Promise.all([connected(subscriber), connected(publisher)]);
      let count = 0;
      await subscribe(subscriber, channel, () => { count += 1; });
      publisher.batch(() => {
        for (let n = 0; n < 50; n++) publisher.publish(channel, { n, text: `再见 ${n} 👋` });
      });
      await waitFor(() => count === 50, 10_000, 'the burst', subscriber, publisher);
      assert.equal(openWebSockets.size, 2);

      await Promise.all([disconnect(subscriber), disconnect(publisher)]);
      await waitFor(() => openWebSockets.size === 0, 3_000, () => {
        const order = (client) => client.wire.filter((entry) => entry.direction === '<-' && /^\/meta\/(connect|disconnect)$/.test(entry.message.channel))
          .slice(-2).map((entry) => entry.message.channel).join(' then ');
        return `the clients to close their WebSockets in round ${round}; last replies: subscriber ${order(subscriber)}, publisher ${order(publisher)}`;
      }, subscriber, publisher);
      count = 0;
    }
  });
});

describe('Faye', () => {
  for (const transport of TRANSPORTS) {
    test(`a client over ${transport} gets its disconnect answered successfully`, async () => {
      const client = pool.faye(transport);
      await fayeSubscribe(client, uniqueChannel('/fbye'), () => {});
      await within(Promise.resolve(client.disconnect()), 5_000, 'the disconnect reply', client);
      const [reply] = incoming(client, '/meta/disconnect');
      assert.equal(reply.successful, true, JSON.stringify(reply));
    });
  }
});
