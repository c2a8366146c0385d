// cometd.remoteCall() to the server-side /service/echo handler (enabled by --Diagnostics:Enabled).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  usePool, TRANSPORTS, handshake, remoteCall, subscribe, publish, waitFor, richPayload, fayeSubscribe, uniqueChannel,
} from './support.mjs';

let pool;
usePool((p) => { pool = p; });

for (const transport of TRANSPORTS) {
  describe(`CometD over ${transport}`, () => {
    test('a remote call to /service/echo is answered with the data it sent', async () => {
      const client = pool.cometd(transport);
      await handshake(client);
      const payload = richPayload({ call: 'echo' });
      const reply = await remoteCall(client, 'echo', payload);
      assert.equal(reply.channel, '/service/echo');
      assert.deepEqual(reply.data, payload);
      assert.equal(client.getTransport().type, transport);
    });

    test('concurrent remote calls are each answered with their own data', async () => {
      const client = pool.cometd(transport);
      await handshake(client);
      const calls = Array.from({ length: 20 }, (_, n) => remoteCall(client, '/echo', { n, text: `回声 ${n} 🔁` }));
      const replies = await Promise.all(calls);
      assert.deepEqual(replies.map((reply) => reply.data), Array.from({ length: 20 }, (_, n) => ({ n, text: `回声 ${n} 🔁` })));
    });

    test('a remote call is answered once: one publish reply and one result, never a broadcast', async () => {
      const client = pool.cometd(transport);
      const observer = pool.faye(transport);
      // Anyone subscribed to /service/** must not see service traffic.
      const seenByObserver = [];
      await fayeSubscribe(observer, '/service/**', (data) => seenByObserver.push(data));
      await handshake(client);
      const reply = await remoteCall(client, 'echo', { only: 'me' });
      assert.deepEqual(reply.data, { only: 'me' });

      const answers = client.wire.filter((entry) => entry.direction === '<-' && entry.message.channel === '/service/echo');
      assert.ok(answers.every((entry) => entry.message.id === reply.id), JSON.stringify(answers));
      const withData = answers.filter((entry) => entry.message.data !== undefined);
      assert.equal(withData.length, 1, `exactly one result message: ${JSON.stringify(answers)}`);

      // The observer's own traffic proves the server had its chance to (wrongly) deliver.
      const channel = uniqueChannel('/after-service');
      const afterwards = [];
      const listener = pool.cometd(transport);
      await handshake(listener);
      await subscribe(listener, channel, () => {});
      await fayeSubscribe(observer, channel, (data) => afterwards.push(data));
      await publish(listener, channel, { done: true });
      await waitFor(() => afterwards.length === 1, 10_000, 'the observer sentinel', observer);
      assert.deepEqual(seenByObserver, []);
    });
  });
}
