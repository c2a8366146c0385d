// Shared plumbing for the interop suites: a Parley server per test file, the real CometD and
// Faye clients with a wire tap on each, and deadline-based waiting instead of sleeps.
import { adapt } from 'cometd-nodejs-client';
import { CometD, AckExtension } from 'cometd';
import Faye from 'faye';
import { before, after, beforeEach, afterEach } from 'node:test';
import { startParley } from '../node-harness/parley-server.mjs';

export { AckExtension };

export const TRANSPORTS = ['long-polling', 'websocket'];

// Every CometD client gets its own cookie jar, as if each ran in its own browser. The adapter's
// XMLHttpRequest stores Set-Cookie headers without telling which client the request belonged to,
// so the request URL object carries the jar: LongPollingTransport copies its `context` onto the
// XHR before calling open(), and open() keeps a URL object it is handed.
adapt({
  cookies: {
    storeCookie(uri, header, callback) {
      const jar = uri.parleyCookieJar;
      const nameValue = header.split(';')[0].trim();
      const equal = nameValue.indexOf('=');
      if (jar && equal > 0) jar.set(nameValue.substring(0, equal), nameValue);
      callback(null);
    },
    retrieveCookies(context, uri, callback) {
      const jar = context?.cookieJar ?? uri.parleyCookieJar;
      callback(null, jar ? [...jar.values()] : []);
    },
  },
});
const AdaptedXMLHttpRequest = globalThis.window.XMLHttpRequest;
globalThis.window.XMLHttpRequest = class extends AdaptedXMLHttpRequest {
  open(method, uri) {
    const url = uri instanceof URL ? uri : new URL(uri);
    url.parleyCookieJar = this.context?.cookieJar;
    super.open(method, url);
  }
};

// Every WebSocket the CometD clients open, until it closes: lets the suite check that a client
// closes its socket after disconnecting, and close leftovers so the server can stop promptly.
export const openWebSockets = new Set();
const AdaptedWebSocket = globalThis.window.WebSocket;
globalThis.window.WebSocket = class extends AdaptedWebSocket {
  constructor(...args) {
    super(...args);
    openWebSockets.add(this);
    this.addEventListener('close', () => openWebSockets.delete(this));
  }
};

/** The settings most suites need: anonymous clients, every channel open, the echo service. */
export const OPEN_SERVER_ARGS = [
  '--Bayeux:AllowAnonymous=true',
  '--Bayeux:OpenChannels:0=/**',
  '--Diagnostics:Enabled=true',
];

export async function startServer(extraArgs = []) {
  return startParley([...OPEN_SERVER_ARGS, ...extraArgs]);
}

/**
 * Resolves once predicate() returns a truthy value (which is returned), polling every 10 ms;
 * rejects after timeoutMs naming `what` (a string, or a function computing the description at
 * that moment) followed by the wire of the given clients, for diagnosis.
 */
export async function waitFor(predicate, timeoutMs, what, ...clients) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value) return value;
    if (Date.now() > deadline) {
      const description = typeof what === 'function' ? what() : what;
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${describeWires(clients)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Rejects a promise that does not settle in time, naming what was awaited. */
export function within(promise, timeoutMs, what, ...clients) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${describeWires(clients)}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function describeWires(clients) {
  return clients
    .filter((client) => client?.wire)
    .map((client) => `\n--- wire of ${client.label} (last 40 messages) ---\n${client.wire.slice(-40).map((entry) => `${entry.direction} ${JSON.stringify(entry.message)}`).join('\n')}`)
    .join('');
}

function tap(wire, direction, message) {
  wire.push({ direction, at: Date.now(), message: JSON.parse(JSON.stringify(message)) });
}

/** Unique channel names, so that no test sees another test's traffic. */
let channelCounter = 0;
export function uniqueChannel(prefix = '/interop') {
  channelCounter += 1;
  return `${prefix}/t${process.pid}x${channelCounter}`;
}

/** Text that must survive the round trip byte for byte: CJK, emoji (astral plane), escapes. */
export function richPayload(extra = {}) {
  return {
    text: '你好，世界！中文测试 — 𠜎𠜱 emoji 😀🎉👩‍👩‍👧‍👦 🇨🇭',
    quote: 'line1\nline2\t"quoted" \\ back\u2028sep',
    number: 42.5,
    nested: { list: [1, 'two', null, true], empty: {} },
    ...extra,
  };
}

/**
 * Owns the clients a test creates and disconnects all of them afterwards, so that no socket or
 * timer keeps the test process alive.
 */
/**
 * One server for a test file and a fresh pool of clients for each test, closed after it.
 * `ready(pool)` hands each test's pool to the file.
 */
export function usePool(ready, extraArgs = []) {
  let server;
  let pool;
  before(async () => { server = await startServer(extraArgs); });
  after(async () => { await server?.stop(); });
  beforeEach(() => { pool = new ClientPool(server.url); ready(pool); });
  afterEach(async () => { await pool.closeAll(); });
}

export class ClientPool {
  #url;
  #cometds = [];
  #fayes = [];
  #count = 0;

  constructor(url) {
    this.#url = url;
  }

  /** A CometD client (not yet handshaken) restricted to one transport. */
  cometd(transport, { ack = false, label } = {}) {
    const cometd = new CometD(`parley-${++this.#count}`);
    cometd.label = label ?? `cometd#${this.#count}(${transport})`;
    cometd.wire = [];
    // callback-polling needs a DOM <script>; it cannot work in Node.
    cometd.unregisterTransport('callback-polling');
    if (transport === 'long-polling') cometd.unregisterTransport('websocket');
    else if (transport !== 'websocket') throw new Error(`unknown transport ${transport}`);
    const longPolling = cometd.findTransport('long-polling');
    longPolling.context = { cookieJar: new Map() };
    cometd.configure({ url: `${this.#url}/cometd`, logLevel: 'warn' });
    // CometD runs incoming extensions in registration order and outgoing ones in reverse: the
    // tap, registered first, sees what actually crosses the wire in both directions.
    cometd.registerExtension('wiretap', {
      incoming: (message) => { tap(cometd.wire, '<-', message); return message; },
      outgoing: (message) => { tap(cometd.wire, '->', message); return message; },
    });
    if (ack) cometd.registerExtension('ack', new AckExtension());
    this.#cometds.push(cometd);
    return cometd;
  }

  /** A Faye client restricted to one transport; it handshakes on its first subscribe or publish. */
  faye(transport, { label } = {}) {
    const client = new Faye.Client(`${this.#url}/cometd`, { timeout: 30, retry: 1 });
    client.label = label ?? `faye#${++this.#count}(${transport})`;
    client.wire = [];
    if (transport === 'long-polling') client.disable('websocket');
    else if (transport !== 'websocket') throw new Error(`unknown transport ${transport}`);
    client.addExtension({
      incoming: (message, callback) => { tap(client.wire, '<-', message); callback(message); },
      outgoing: (message, callback) => { tap(client.wire, '->', message); callback(message); },
    });
    this.#fayes.push(client);
    return client;
  }

  async closeAll() {
    const cometds = this.#cometds.splice(0);
    const fayes = this.#fayes.splice(0);
    await Promise.all([...cometds.map(disconnectCometD), ...fayes.map(disconnectFaye)]);
    // A CometD client closes its WebSocket itself once the disconnect is answered (and only if the
    // held connect was answered first); whatever is still open after a grace period is closed here
    // so that a stuck socket cannot delay the server's shutdown. disconnect.test.mjs checks that
    // clients do close by themselves.
    await waitFor(() => openWebSockets.size === 0, 1_000, 'WebSockets to close').catch(() => {
      for (const socket of openWebSockets) socket.terminate();
    });
  }
}

// ---- CometD helpers: promises over the callback API ------------------------------------------

/** Handshakes; resolves with the successful handshake reply, rejects with an unsuccessful one. */
export function handshake(cometd, handshakeProps) {
  const done = new Promise((resolve, reject) => {
    cometd.handshake(handshakeProps, (reply) => (reply.successful ? resolve(reply) : reject(failure('handshake', reply))));
  });
  return within(done, 15_000, `${cometd.label} handshake`, cometd);
}

/** Resolves once the first /meta/connect after the handshake has succeeded. */
export function connected(cometd) {
  return waitFor(
    () => cometd.wire.some((entry) => entry.direction === '<-' && entry.message.channel === '/meta/connect' && entry.message.successful === true),
    15_000, `${cometd.label} first successful /meta/connect`, cometd);
}

export function subscribe(cometd, channel, onMessage) {
  const done = new Promise((resolve, reject) => {
    const handle = cometd.subscribe(channel, onMessage, (reply) => (reply.successful ? resolve(handle) : reject(failure(`subscribe ${channel}`, reply))));
  });
  return within(done, 15_000, `${cometd.label} subscribe to ${channel}`, cometd);
}

export function unsubscribe(cometd, handle) {
  const done = new Promise((resolve, reject) => {
    cometd.unsubscribe(handle, (reply) => (reply.successful ? resolve(reply) : reject(failure(`unsubscribe ${handle.channel}`, reply))));
  });
  return within(done, 15_000, `${cometd.label} unsubscribe from ${handle.channel}`, cometd);
}

export function publish(cometd, channel, data) {
  const done = new Promise((resolve, reject) => {
    cometd.publish(channel, data, (reply) => (reply.successful ? resolve(reply) : reject(failure(`publish to ${channel}`, reply))));
  });
  return within(done, 15_000, `${cometd.label} publish to ${channel}`, cometd);
}

export function remoteCall(cometd, target, data, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    cometd.remoteCall(target, data, timeoutMs, (reply) => (reply.successful ? resolve(reply) : reject(failure(`remoteCall ${target}`, reply, cometd))));
  });
}

export async function disconnectCometD(cometd) {
  if (cometd.isDisconnected()) return;
  const done = new Promise((resolve) => cometd.disconnect(() => resolve()));
  // A server that never answers must not hang the suite: the client is then dropped locally.
  await within(done, 5_000, `${cometd.label} disconnect`).catch(() => cometd.disconnect());
}

function failure(what, reply, ...clients) {
  const copy = { ...reply };
  if (copy.failure) copy.failure = { ...copy.failure, transport: copy.failure.transport?.type };
  return new Error(`${what} failed: ${JSON.stringify(copy)}${describeWires(clients)}`);
}

// ---- Faye helpers -----------------------------------------------------------------------------

/** Resolves once subscribed, with `{ cancel() }`: Faye's Subscription is itself a thenable. */
export async function fayeSubscribe(client, channel, onData) {
  const subscription = client.subscribe(channel, onData);
  await within(Promise.resolve(subscription), 15_000, `${client.label} subscribe to ${channel}`, client);
  return { cancel: () => subscription.cancel() };
}

export function fayePublish(client, channel, data) {
  return within(Promise.resolve(client.publish(channel, data)), 15_000, `${client.label} publish to ${channel}`, client);
}

export async function disconnectFaye(client) {
  const publication = client.disconnect();
  if (publication) await within(Promise.resolve(publication), 5_000, `${client.label} disconnect`).catch(() => {});
  // Closes the WebSocket even if the disconnect reply never came.
  client._dispatcher.close();
}

/** The connectionType a client used on its latest /meta/connect. */
export function lastConnectionType(client) {
  const connects = client.wire.filter((entry) => entry.direction === '->' && entry.message.channel === '/meta/connect');
  return connects.at(-1)?.message.connectionType;
}
