// Stopping the server (SIGTERM) while clients hold connects: it must end the held requests and
// WebSockets itself instead of waiting for clients, which keep them open for up to `timeout`.
// The harness kills the process 10 s after SIGTERM, so a slow stop shows up as ~10 s here.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ClientPool, startServer, waitFor, handshake, connected, fayeSubscribe, uniqueChannel } from './support.mjs';

let pool;
afterEach(async () => { await pool?.closeAll(); });

test('the server stops within 5 seconds while CometD and Faye clients hold connects on both transports', async () => {
  const server = await startServer();
  let stopped = false;
  try {
    pool = new ClientPool(server.url);
    const cometds = ['long-polling', 'websocket'].map((transport) => pool.cometd(transport));
    const fayes = ['long-polling', 'websocket'].map((transport) => pool.faye(transport));
    await Promise.all(cometds.map(async (client) => { await handshake(client); await connected(client); }));
    await Promise.all(fayes.map((client) => fayeSubscribe(client, uniqueChannel('/shutdown'), () => {})));
    // Wait until every client has a connect outstanding (the held one).
    const held = (client) => {
      const connects = client.wire.filter((entry) => entry.message.channel === '/meta/connect');
      return connects.at(-1)?.direction === '->';
    };
    await waitFor(() => [...cometds, ...fayes].every(held), 10_000, 'every client to hold a connect', ...cometds, ...fayes);

    const started = Date.now();
    await server.stop();
    stopped = true;
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 5_000, `stopping took ${elapsed} ms`);
  } finally {
    // The harness's stop() must not be called twice: after a kill it would wait for a second exit.
    if (!stopped) await server.stop();
  }
});
