// The CometD acknowledgement extension (ext.ack) against the server's ack support.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  usePool, TRANSPORTS, waitFor, handshake, connected, subscribe, publish, uniqueChannel,
} from './support.mjs';

let pool;
usePool((p) => { pool = p; });

const incoming = (client, channel) => client.wire.filter((entry) => entry.direction === '<-' && entry.message.channel === channel).map((entry) => entry.message);
const outgoing = (client, channel) => client.wire.filter((entry) => entry.direction === '->' && entry.message.channel === channel).map((entry) => entry.message);

for (const transport of TRANSPORTS) {
  describe(`CometD with the ack extension over ${transport}`, () => {
    test('the handshake reply acknowledges the ack extension', async () => {
      const client = pool.cometd(transport, { ack: true });
      await handshake(client);
      const [request] = outgoing(client, '/meta/handshake');
      assert.equal(request.ext?.ack, true, 'the client asks for acks');
      const [reply] = incoming(client, '/meta/handshake');
      const ack = reply.ext?.ack;
      assert.ok(ack === true || ack?.enabled === true, `handshake reply must carry ext.ack=true: ${JSON.stringify(reply)}`);
    });

    test('connect replies carry a batch number that the next connect acknowledges', async () => {
      const channel = uniqueChannel('/acked');
      const client = pool.cometd(transport, { ack: true });
      const publisher = pool.cometd(transport);
      await Promise.all([handshake(client), handshake(publisher)]);
      await connected(client);
      let count = 0;
      await subscribe(client, channel, () => { count += 1; });
      await publish(publisher, channel, { n: 0 });
      await waitFor(() => count === 1, 10_000, 'the delivery', client, publisher);
      // The delivery completes the held connect; the client then connects again acknowledging it.
      await waitFor(() => outgoing(client, '/meta/connect').length >= 3, 10_000, 'a third connect', client);

      const replies = incoming(client, '/meta/connect').filter((message) => message.successful);
      for (const reply of replies) {
        assert.equal(typeof reply.ext?.ack, 'number', `every connect reply must carry ext.ack=<batch>: ${JSON.stringify(reply)}`);
      }
      const requests = outgoing(client, '/meta/connect');
      for (let i = 1; i < requests.length; i++) {
        assert.equal(requests[i].ext?.ack, replies[i - 1]?.ext?.ack, `connect ${i} acknowledges the batch of the reply before it`);
      }
      const batches = replies.map((reply) => reply.ext.ack);
      assert.ok(batches.at(-1) > batches[0], `the batch number grows once messages were sent: ${JSON.stringify(batches)}`);
    });

    test('messages still arrive, all of them and in publish order', async () => {
      const channel = uniqueChannel('/acked');
      const client = pool.cometd(transport, { ack: true });
      const publisher = pool.cometd(transport);
      await Promise.all([handshake(client), handshake(publisher)]);
      await connected(client);
      const received = [];
      await subscribe(client, channel, (message) => received.push(message.data.n));

      const count = 60;
      // Bursts of different sizes, so that batches of several messages are acknowledged too.
      let n = 0;
      for (const burst of [1, 5, 20, 34]) {
        publisher.batch(() => {
          for (let i = 0; i < burst; i++, n++) publisher.publish(channel, { n, text: `确认 ${n} ✅` });
        });
        await waitFor(() => received.length === n, 15_000, `${n} deliveries`, client, publisher);
      }
      assert.equal(n, count);
      assert.deepEqual(received, Array.from({ length: count }, (_, i) => i));
      const copies = client.wire.filter((entry) => entry.direction === '<-' && entry.message.channel === channel).length;
      assert.equal(copies, count, 'each message is delivered once when every batch is acknowledged');
    });
  });
}
