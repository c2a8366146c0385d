// Fifty CometD clients in one process over long-polling, each with its own cookie jar as if each
// were a separate browser, so the default one-held-poll-per-browser limit stays in force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  usePool, waitFor, handshake, connected, subscribe, publish, uniqueChannel, richPayload,
} from './support.mjs';

const CLIENTS = 50;

let pool;
usePool((p) => { pool = p; });

test(`${CLIENTS} long-polling clients with their own cookie jars all receive one broadcast`, async () => {
  const channel = uniqueChannel('/crowd');
  const clients = Array.from({ length: CLIENTS }, (_, i) => pool.cometd('long-polling', { label: `crowd#${i}` }));
  const received = clients.map(() => []);
  await Promise.all(clients.map(async (client, i) => {
    await handshake(client);
    await subscribe(client, channel, (message) => received[i].push(message.data));
    await connected(client);
  }));

  const jars = clients.map((client) => client.findTransport('long-polling').context.cookieJar);
  const browsers = jars.map((jar) => jar.get('BAYEUX_BROWSER'));
  assert.ok(browsers.every(Boolean), `every client got a BAYEUX_BROWSER cookie: ${JSON.stringify(jars.map((jar) => [...jar.values()]))}`);
  assert.equal(new Set(browsers).size, CLIENTS, 'each client is its own browser');

  const publisher = pool.cometd('long-polling', { label: 'crowd-publisher' });
  await handshake(publisher);
  const payload = richPayload({ to: 'everyone', 人数: CLIENTS });
  await publish(publisher, channel, payload);

  await waitFor(() => received.every((list) => list.length === 1), 20_000,
    () => `all ${CLIENTS} deliveries (missing: ${received.flatMap((list, i) => (list.length === 1 ? [] : [i])).join(',')})`);
  for (const list of received) assert.deepEqual(list, [payload]);

  for (const client of clients) {
    assert.equal(client.getTransport().type, 'long-polling');
    const limited = client.wire.filter((entry) => entry.direction === '<-' && entry.message.advice?.['multiple-clients']);
    assert.deepEqual(limited, [], `${client.label} was treated as a second tab of another client`);
  }
});

test(`${CLIENTS} long-polling clients that each publish once all receive all ${CLIENTS} messages`, async () => {
  const channel = uniqueChannel('/chorus');
  const clients = Array.from({ length: CLIENTS }, (_, i) => pool.cometd('long-polling', { label: `chorus#${i}` }));
  const received = clients.map(() => new Set());
  await Promise.all(clients.map(async (client, i) => {
    await handshake(client);
    await subscribe(client, channel, (message) => received[i].add(message.data.from));
    await connected(client);
  }));
  await Promise.all(clients.map((client, i) => publish(client, channel, { from: i, text: `第${i}号 📣` })));
  await waitFor(() => received.every((set) => set.size === CLIENTS), 30_000,
    () => `every client to receive all ${CLIENTS} messages (counts: ${received.map((set) => set.size).join(',')})`);
});
