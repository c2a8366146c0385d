// Subscribe, publish and receive with each real client over each transport.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  usePool, TRANSPORTS, waitFor, handshake, connected, subscribe, publish, fayeSubscribe, fayePublish, uniqueChannel, richPayload, lastConnectionType,
} from './support.mjs';

let pool;
usePool((p) => { pool = p; });

for (const transport of TRANSPORTS) {
  describe(`CometD over ${transport}`, () => {
    test('the client negotiates the transport it was restricted to', async () => {
      const cometd = pool.cometd(transport);
      const reply = await handshake(cometd);
      assert.equal(reply.version, '1.0');
      assert.ok(reply.supportedConnectionTypes.includes('long-polling'), JSON.stringify(reply));
      assert.ok(reply.supportedConnectionTypes.includes('websocket'), JSON.stringify(reply));
      assert.match(reply.clientId, /^\S{16,}$/);
      await connected(cometd);
      assert.equal(cometd.getTransport().type, transport);
      assert.equal(lastConnectionType(cometd), transport);
    });

    test('a subscriber receives what another client publishes, with Chinese text and emoji intact', async () => {
      const channel = uniqueChannel('/chat');
      const subscriber = pool.cometd(transport);
      const publisher = pool.cometd(transport);
      await Promise.all([handshake(subscriber), handshake(publisher)]);
      const received = [];
      await subscribe(subscriber, channel, (message) => received.push(message));

      const payload = richPayload({ from: 'publisher' });
      const reply = await publish(publisher, channel, payload);
      assert.equal(reply.successful, true);
      assert.equal(reply.data, undefined, `a publish reply must not carry data: ${JSON.stringify(reply)}`);

      await waitFor(() => received.length === 1, 10_000, 'the delivery', subscriber, publisher);
      assert.equal(received[0].channel, channel);
      assert.deepEqual(received[0].data, payload);
      assertOnlyChannelAndData(subscriber, channel);
      assert.equal(subscriber.getTransport().type, transport);
    });

    test('a client that publishes to a channel it subscribes to receives its own message once', async () => {
      const channel = uniqueChannel('/self');
      const client = pool.cometd(transport);
      await handshake(client);
      const received = [];
      await subscribe(client, channel, (message) => received.push(message.data));
      await publish(client, channel, { n: 1, text: '自己 🙂' });
      await waitFor(() => received.length >= 1, 10_000, 'the own delivery', client);
      // A second, later publish proves the first was not delivered twice.
      await publish(client, channel, { n: 2 });
      await waitFor(() => received.length >= 2, 10_000, 'the second delivery', client);
      assert.deepEqual(received, [{ n: 1, text: '自己 🙂' }, { n: 2 }]);
    });

    test('many messages published in a row arrive in publish order', async () => {
      const channel = uniqueChannel('/order');
      const subscriber = pool.cometd(transport);
      const publisher = pool.cometd(transport);
      await Promise.all([handshake(subscriber), handshake(publisher)]);
      const received = [];
      await subscribe(subscriber, channel, (message) => received.push(message.data.n));
      const count = 100;
      publisher.batch(() => {
        for (let n = 0; n < count; n++) publisher.publish(channel, { n, text: `消息 ${n} ✉️` });
      });
      await waitFor(() => received.length === count, 15_000, `${count} deliveries`, subscriber);
      assert.deepEqual(received, Array.from({ length: count }, (_, n) => n));
    });
  });

  describe(`Faye over ${transport}`, () => {
    test('a subscriber receives what another client publishes, with Chinese text and emoji intact', async () => {
      const channel = uniqueChannel('/chat');
      const subscriber = pool.faye(transport);
      const publisher = pool.faye(transport);
      const received = [];
      await fayeSubscribe(subscriber, channel, (data) => received.push(data));
      const payload = richPayload({ from: 'faye' });
      await fayePublish(publisher, channel, payload);
      await waitFor(() => received.length === 1, 10_000, 'the delivery', subscriber, publisher);
      assert.deepEqual(received[0], payload);
      assert.equal(lastConnectionType(subscriber), transport);
      assert.equal(lastConnectionType(publisher), transport);
      assertOnlyChannelAndData(subscriber, channel);
    });
  });
}

// A broadcast delivery carries channel and data (ext allowed), never the publisher's clientId or id.
function assertOnlyChannelAndData(client, channel) {
  const deliveries = client.wire.filter((entry) => entry.direction === '<-' && entry.message.channel === channel);
  assert.ok(deliveries.length > 0, 'no delivery on the wire');
  for (const { message } of deliveries) {
    const extra = Object.keys(message).filter((key) => !['channel', 'data', 'ext'].includes(key));
    assert.deepEqual(extra, [], `a delivery must carry only channel and data: ${JSON.stringify(message)}`);
  }
}
