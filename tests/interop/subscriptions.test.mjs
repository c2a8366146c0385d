// Wildcard subscriptions and unsubscribing, seen from the real clients.
// Absence of a delivery is proven without sleeping: a session receives messages in publish order,
// so once a later "sentinel" message has arrived, an earlier one that did not arrive never will.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  usePool, TRANSPORTS, waitFor, handshake, subscribe, unsubscribe, publish, fayeSubscribe, fayePublish, uniqueChannel,
} from './support.mjs';

let pool;
usePool((p) => { pool = p; });

for (const transport of TRANSPORTS) {
  describe(`CometD over ${transport}`, () => {
    test('a /x/* subscription receives /x/a but neither /x nor /x/a/b', async () => {
      const root = uniqueChannel('/wild');
      const subscriber = pool.cometd(transport);
      const publisher = pool.cometd(transport);
      await Promise.all([handshake(subscriber), handshake(publisher)]);
      const received = [];
      await subscribe(subscriber, `${root}/*`, (message) => received.push(message.channel));

      await publish(publisher, root, { skip: 'parent' });
      await publish(publisher, `${root}/a/b`, { skip: 'grandchild' });
      await publish(publisher, `${root}/a`, { take: 'child' });
      await publish(publisher, `${root}/zz`, { take: 'sentinel' });
      await waitFor(() => received.includes(`${root}/zz`), 10_000, 'the sentinel', subscriber, publisher);
      assert.deepEqual(received, [`${root}/a`, `${root}/zz`]);
      // The client filters by pattern too, so the wire shows what the server actually sent.
      assert.deepEqual(deliveredChannels(subscriber), [`${root}/a`, `${root}/zz`]);
    });

    test('a /x/** subscription receives /x/a and /x/a/b/c but not /x', async () => {
      const root = uniqueChannel('/deep');
      const subscriber = pool.cometd(transport);
      const publisher = pool.cometd(transport);
      await Promise.all([handshake(subscriber), handshake(publisher)]);
      const received = [];
      await subscribe(subscriber, `${root}/**`, (message) => received.push(message.channel));

      await publish(publisher, root, { skip: 'parent' });
      await publish(publisher, `${root}/a`, { take: 1 });
      await publish(publisher, `${root}/a/b`, { take: 2 });
      await publish(publisher, `${root}/a/b/c`, { take: 3 });
      await waitFor(() => received.length === 3, 10_000, 'three deliveries', subscriber, publisher);
      assert.deepEqual(received, [`${root}/a`, `${root}/a/b`, `${root}/a/b/c`]);
      assert.deepEqual(deliveredChannels(subscriber), [`${root}/a`, `${root}/a/b`, `${root}/a/b/c`]);
    });

    test('an exact, a /* and a /** subscription of one client each get their own copy of a message', async () => {
      const root = uniqueChannel('/overlap');
      const channel = `${root}/leaf`;
      const client = pool.cometd(transport);
      await handshake(client);
      const received = [];
      await subscribe(client, channel, () => received.push('exact'));
      await subscribe(client, `${root}/*`, () => received.push('star'));
      await subscribe(client, `${root}/**`, () => received.push('starstar'));
      await publish(client, channel, { text: '一次 once' });
      await waitFor(() => received.length >= 3, 10_000, 'three notifications', client);
      // One message reaches the client; the client itself fans it out to its matching listeners.
      const deliveries = client.wire.filter((entry) => entry.direction === '<-' && entry.message.channel === channel && entry.message.data);
      assert.equal(deliveries.length, 1, `the server must send one copy per session: ${JSON.stringify(deliveries)}`);
      assert.deepEqual(received.sort(), ['exact', 'star', 'starstar']);
    });

    test('after unsubscribing a client receives nothing more on that channel', async () => {
      const channel = uniqueChannel('/unsub');
      const sentinel = uniqueChannel('/sentinel');
      const subscriber = pool.cometd(transport);
      const publisher = pool.cometd(transport);
      await Promise.all([handshake(subscriber), handshake(publisher)]);
      const received = [];
      const handle = await subscribe(subscriber, channel, (message) => received.push(message.data.n));
      let sentinels = 0;
      await subscribe(subscriber, sentinel, () => { sentinels += 1; });

      await publish(publisher, channel, { n: 1 });
      await waitFor(() => received.length === 1, 10_000, 'the first delivery', subscriber);

      const reply = await unsubscribe(subscriber, handle);
      assert.equal(reply.subscription, channel);
      // No local listener is left, so also look at the wire: the server must not send it at all.
      await publish(publisher, channel, { n: 2 });
      await publish(publisher, sentinel, { last: true });
      await waitFor(() => sentinels === 1, 10_000, 'the sentinel', subscriber, publisher);
      const late = subscriber.wire.filter((entry) => entry.direction === '<-' && entry.message.channel === channel && entry.message.data?.n === 2);
      assert.deepEqual(late, [], 'the server delivered a message on an unsubscribed channel');
      assert.deepEqual(received, [1]);
    });
  });

  describe(`Faye over ${transport}`, () => {
    test('/x/* and /x/** subscriptions receive the channels they match', async () => {
      const root = uniqueChannel('/fwild');
      const subscriber = pool.faye(transport);
      const publisher = pool.faye(transport);
      const star = [];
      const starStar = [];
      await fayeSubscribe(subscriber, `${root}/*`, (data) => star.push(data.path));
      await fayeSubscribe(subscriber, `${root}/**`, (data) => starStar.push(data.path));
      for (const path of ['a', 'a/b', 'z']) await fayePublish(publisher, `${root}/${path}`, { path });
      await waitFor(() => star.includes('z') && starStar.includes('z'), 10_000, 'the sentinel', subscriber, publisher);
      assert.deepEqual(star, ['a', 'z']);
      assert.deepEqual(starStar, ['a', 'a/b', 'z']);
      // One copy per session even where both patterns match.
      assert.deepEqual(deliveredChannels(subscriber), ['a', 'a/b', 'z'].map((path) => `${root}/${path}`));
    });

    test('after cancelling a subscription a client receives nothing more on that channel', async () => {
      const channel = uniqueChannel('/funsub');
      const sentinel = uniqueChannel('/fsentinel');
      const subscriber = pool.faye(transport);
      const publisher = pool.faye(transport);
      const received = [];
      const subscription = await fayeSubscribe(subscriber, channel, (data) => received.push(data.n));
      let sentinels = 0;
      await fayeSubscribe(subscriber, sentinel, () => { sentinels += 1; });
      await fayePublish(publisher, channel, { n: 1 });
      await waitFor(() => received.length === 1, 10_000, 'the first delivery', subscriber);

      subscription.cancel();
      await waitFor(
        () => subscriber.wire.some((entry) => entry.direction === '<-' && entry.message.channel === '/meta/unsubscribe' && entry.message.successful === true),
        10_000, 'the unsubscribe reply', subscriber);
      await fayePublish(publisher, channel, { n: 2 });
      await fayePublish(publisher, sentinel, { last: true });
      await waitFor(() => sentinels === 1, 10_000, 'the sentinel', subscriber, publisher);
      const late = subscriber.wire.filter((entry) => entry.direction === '<-' && entry.message.channel === channel && entry.message.data?.n === 2);
      assert.deepEqual(late, [], 'the server delivered a message on an unsubscribed channel');
      assert.deepEqual(received, [1]);
    });
  });
}

/** Channels of the broadcast deliveries the server sent to a client, in arrival order. */
function deliveredChannels(client) {
  return client.wire
    .filter((entry) => entry.direction === '<-' && !entry.message.channel.startsWith('/meta/') && entry.message.data !== undefined)
    .map((entry) => entry.message.channel);
}
