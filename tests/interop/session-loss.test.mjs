// A session that disappears server-side (DELETE /diagnostics/sessions/{id} simulates expiry):
// the clients must be told to re-handshake, get their subscriptions back and receive again.
import { describe, test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  TRANSPORTS, ClientPool, startServer, waitFor, within, handshake, publish, fayeSubscribe, fayePublish,
  uniqueChannel,
} from './support.mjs';

let server;
let pool;
// A short held connect bounds how long a client can take to notice, whatever the server does
// with the held request when the session goes.
before(async () => { server = await startServer(['--Bayeux:Timeout=2000']); });
after(async () => { await server?.stop(); });
beforeEach(() => { pool = new ClientPool(server.url); });
afterEach(async () => { await pool.closeAll(); });

async function removeSession(clientId) {
  const response = await fetch(`${server.url}/diagnostics/sessions/${encodeURIComponent(clientId)}`, { method: 'DELETE' });
  await response.arrayBuffer();
  assert.ok(response.ok, `DELETE /diagnostics/sessions/${clientId} answered ${response.status}`);
}

const replies = (client, channel) => client.wire.filter((entry) => entry.direction === '<-' && entry.message.channel === channel).map((entry) => entry.message);
const successful = (client, channel) => replies(client, channel).filter((message) => message.successful === true);

function assertToldToHandshake(client) {
  const unknown = replies(client, '/meta/connect').filter((message) => message.successful === false);
  assert.ok(unknown.length > 0, 'a connect must fail once the session is gone');
  assert.match(unknown[0].error ?? '', /^402:/, `connect reply: ${JSON.stringify(unknown[0])}`);
  assert.equal(unknown[0].advice?.reconnect, 'handshake', `connect reply: ${JSON.stringify(unknown[0])}`);
}

for (const transport of TRANSPORTS) {
  describe(`CometD over ${transport}`, () => {
    test('a client whose session was removed re-handshakes, resubscribes and receives again', async () => {
      const channel = uniqueChannel('/survivor');
      const client = pool.cometd(transport);
      const publisher = pool.cometd(transport);
      const received = [];
      const handshakes = [];
      // The documented idiom: subscribe in the handshake callback. CometD clears subscriptions on
      // every handshake and calls the same callback again after an automatic re-handshake.
      const firstHandshake = new Promise((resolve) => {
        client.handshake((reply) => {
          if (!reply.successful) return;
          handshakes.push(reply);
          client.subscribe(channel, (message) => received.push(message.data.n));
          resolve(reply);
        });
      });
      const first = await within(firstHandshake, 15_000, 'the first handshake', client);
      await handshake(publisher);
      await waitFor(() => successful(client, '/meta/subscribe').length === 1, 10_000, 'the subscription', client);
      await publish(publisher, channel, { n: 1 });
      await waitFor(() => received.length === 1, 10_000, 'the first delivery', client, publisher);

      await removeSession(first.clientId);

      await waitFor(() => handshakes.length === 2, 15_000, 'the re-handshake', client);
      assert.notEqual(handshakes[1].clientId, first.clientId);
      assert.equal(handshakes[1].reestablish, true);
      assertToldToHandshake(client);
      await waitFor(() => successful(client, '/meta/subscribe').length === 2, 10_000, 'the resubscription', client);

      await publish(publisher, channel, { n: 2 });
      await waitFor(() => received.length === 2, 10_000, 'a delivery after the re-handshake', client, publisher);
      assert.deepEqual(received, [1, 2]);
      assert.equal(client.getClientId(), handshakes[1].clientId);
      assert.equal(client.getTransport().type, transport);
    });

    test('a client whose session was removed can still be told to disconnect cleanly', async () => {
      const client = pool.cometd(transport);
      const first = await handshake(client);
      await removeSession(first.clientId);
      await waitFor(() => successful(client, '/meta/handshake').length === 2, 15_000, 'the re-handshake', client);
      assertToldToHandshake(client);
      // pool.closeAll() disconnects it; the disconnect must be answered for the new session.
      const reply = await within(new Promise((resolve) => client.disconnect(resolve)), 5_000, 'the disconnect reply', client);
      assert.equal(reply.successful, true, JSON.stringify(reply));
    });
  });

  describe(`Faye over ${transport}`, () => {
    test('a client whose session was removed re-handshakes, resubscribes by itself and receives again', async () => {
      const channel = uniqueChannel('/fsurvivor');
      const client = pool.faye(transport);
      const publisher = pool.faye(transport);
      const received = [];
      await fayeSubscribe(client, channel, (data) => received.push(data.n));
      await fayePublish(publisher, channel, { n: 1 });
      await waitFor(() => received.length === 1, 10_000, 'the first delivery', client, publisher);

      const [first] = successful(client, '/meta/handshake');
      await removeSession(first.clientId);

      await waitFor(() => successful(client, '/meta/handshake').length === 2, 15_000, 'the re-handshake', client);
      assertToldToHandshake(client);
      const second = successful(client, '/meta/handshake')[1];
      assert.notEqual(second.clientId, first.clientId);
      await waitFor(() => successful(client, '/meta/subscribe').length === 2, 10_000, 'the resubscription', client);

      await fayePublish(publisher, channel, { n: 2 });
      await waitFor(() => received.length === 2, 10_000, 'a delivery after the re-handshake', client, publisher);
      assert.deepEqual(received, [1, 2]);
    });
  });
}
