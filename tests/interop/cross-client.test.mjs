// Faye and CometD clients on one server see each other's messages, in both directions.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  usePool, TRANSPORTS, waitFor, handshake, subscribe, publish, fayeSubscribe, fayePublish, uniqueChannel, richPayload, lastConnectionType,
} from './support.mjs';

let pool;
usePool((p) => { pool = p; });

for (const fayeTransport of TRANSPORTS) {
  for (const cometdTransport of TRANSPORTS) {
    describe(`Faye over ${fayeTransport} with CometD over ${cometdTransport}`, () => {
      test('a CometD subscriber receives what a Faye client publishes', async () => {
        const channel = uniqueChannel('/bridge');
        const cometd = pool.cometd(cometdTransport);
        const faye = pool.faye(fayeTransport);
        await handshake(cometd);
        const received = [];
        await subscribe(cometd, channel, (message) => received.push(message));
        const payload = richPayload({ from: 'faye', 方向: 'faye→cometd' });
        await fayePublish(faye, channel, payload);
        await waitFor(() => received.length === 1, 10_000, 'the delivery to CometD', cometd, faye);
        assert.equal(received[0].channel, channel);
        assert.deepEqual(received[0].data, payload);
        assert.equal(cometd.getTransport().type, cometdTransport);
        assert.equal(lastConnectionType(faye), fayeTransport);
      });

      test('a Faye subscriber receives what a CometD client publishes', async () => {
        const channel = uniqueChannel('/bridge');
        const cometd = pool.cometd(cometdTransport);
        const faye = pool.faye(fayeTransport);
        const received = [];
        await fayeSubscribe(faye, channel, (data) => received.push(data));
        await handshake(cometd);
        const payload = richPayload({ from: 'cometd', 方向: 'cometd→faye' });
        await publish(cometd, channel, payload);
        await waitFor(() => received.length === 1, 10_000, 'the delivery to Faye', cometd, faye);
        assert.deepEqual(received[0], payload);
        assert.equal(cometd.getTransport().type, cometdTransport);
        assert.equal(lastConnectionType(faye), fayeTransport);
      });

      test('a conversation alternating between the two clients keeps its order on both sides', async () => {
        const channel = uniqueChannel('/conversation');
        const cometd = pool.cometd(cometdTransport);
        const faye = pool.faye(fayeTransport);
        await handshake(cometd);
        const seenByCometD = [];
        const seenByFaye = [];
        await subscribe(cometd, channel, (message) => seenByCometD.push(message.data.line));
        await fayeSubscribe(faye, channel, (data) => seenByFaye.push(data.line));
        const lines = ['你好 👋', 'hello 🌍', '再见 🫡', 'bye 🚪'];
        for (const [index, line] of lines.entries()) {
          // Each speaker waits for its line to come back before the other answers.
          if (index % 2 === 0) await fayePublish(faye, channel, { line });
          else await publish(cometd, channel, { line });
          await waitFor(() => seenByCometD.length > index && seenByFaye.length > index, 10_000, `line ${index} on both sides`, cometd, faye);
        }
        assert.deepEqual(seenByCometD, lines);
        assert.deepEqual(seenByFaye, lines);
      });
    });
  }
}
