// Shared setup for the browser tests: Parley, the static page server, Debian's Chromium,
// and a Node-side Faye peer that exchanges messages with the page.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import faye from 'faye';
import { startParley } from '../node-harness/parley-server.mjs';
import { startStaticServer } from './static-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const screenshotDir = path.join(here, 'screenshots');

// Text that has to survive every encoding step: UTF-8 bodies and frames, percent-encoded
// JSONP URLs, the event stream; astral-plane emoji are surrogate pairs in JavaScript, and
// the family is a ZWJ sequence.
export const fromNode = { from: 'node', text: '你好，世界！来自服务器端的消息 🌏🎉', family: '👨‍👩‍👧‍👦', n: 1 };
export const fromPage = { from: 'page', text: '浏览器说：你好 🚀👍🏽', note: '中文和表情符号 😀', n: 2 };

/** Starts the page server, then Parley allowing the page server's origin. */
export async function startServers() {
  const pages = await startStaticServer();
  let parley;
  try {
    parley = await startParley([
      '--Bayeux:AllowAnonymous=true',
      '--Bayeux:OpenChannels:0=/**',
      `--Bayeux:AllowedOrigins:0=${pages.origin}`,
      // Session additions and removals (with the reason), so a 402 in a failure report says why.
      '--Logging:LogLevel:Parley.Bayeux.Server.BayeuxServer=Debug',
    ]);
  } catch (error) {
    await pages.stop();
    throw error;
  }
  return {
    pages,
    parley,
    endpoint: `${parley.url}/cometd`,
    stop: async () => {
      await pages.stop();
      await parley.stop();
    },
  };
}

export async function launchBrowser() {
  // launch() gives every browser a new, empty profile directory (--user-data-dir) and
  // deletes it on close.
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens a page and records what the page prints and sends, so a failure can say what
 * happened inside the browser. Given a browser, the page gets a context (cookie jar) of its
 * own; given a context, it shares that context's cookies, like a second tab.
 */
export async function openPage(browserOrContext, url) {
  const ownContext = typeof browserOrContext.newContext === 'function';
  const context = ownContext ? await browserOrContext.newContext() : browserOrContext;
  const page = await context.newPage();
  const close = () => (ownContext ? context.close() : page.close());
  const consoleLines = [];
  page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`[pageerror] ${error.message}`));
  page.on('requestfailed', (request) =>
    consoleLines.push(`[requestfailed] ${request.method()} ${request.url().slice(0, 300)} ${request.failure()?.errorText}`));

  // What crossed the wire, to check that the transport the client reports is the one it used.
  const wire = { requests: [], responses: [], webSockets: [], webSocketFramesIn: [], eventStreamMessages: [] };
  page.on('request', (request) =>
    wire.requests.push({ method: request.method(), url: request.url(), type: request.resourceType() }));
  page.on('response', async (response) => {
    const entry = { method: response.request().method(), url: response.url(), status: response.status(), headers: {} };
    wire.responses.push(entry);
    try {
      entry.headers = await response.allHeaders();
    } catch {
      // The page closed first.
    }
  });
  page.on('websocket', (socket) => {
    wire.webSockets.push(socket.url());
    socket.on('framereceived', (frame) => wire.webSocketFramesIn.push(String(frame.payload)));
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.eventSourceMessageReceived', (event) => wire.eventStreamMessages.push(event.data));

  // Not 'load': a JSONP long-poll is a script element, and a held one would hold the
  // document's load event too.
  try {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    page,
    consoleLines,
    wire,
    cookies: () => context.cookies(),
    close,
    state: () => page.evaluate(() => window.parley?.state ?? null),
  };
}

/**
 * Waits until `predicate` (run in the page) is truthy; on timeout, fails with the page's
 * state, its console and the server's output.
 */
export async function waitInPage(opened, predicate, { timeout = 15_000, what, server, arg } = {}) {
  try {
    await opened.page.waitForFunction(predicate, arg, { timeout, polling: 50 });
  } catch (error) {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}\n${await pageReport(opened, server)}`, { cause: error });
  }
}

export async function pageReport(opened, server) {
  let state;
  try {
    state = JSON.stringify(await opened.state(), null, 1);
  } catch (error) {
    state = `(unreadable: ${error.message})`;
  }
  return [
    `page state: ${state}`,
    `page console:\n  ${opened.consoleLines.slice(-40).join('\n  ')}`,
    server ? `server output (tail):\n${server.parley.output().slice(-4000)}` : '',
  ].join('\n');
}

/** The Bayeux messages in a list of JSON payloads (frames, event-stream data), flattened. */
export function bayeuxMessages(payloads) {
  return payloads.flatMap((payload) => {
    try {
      const parsed = JSON.parse(payload);
      return Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      return [];
    }
  });
}

/** Polls a Node-side condition with a deadline. */
export async function waitFor(predicate, { timeout = 15_000, what, details = () => '' } = {}) {
  const deadline = Date.now() + timeout;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}\n${details()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export async function screenshot(opened, name) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  try {
    await opened.page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  } catch {
    // A screenshot is a debugging aid; never let it hide the real failure.
  }
}

/**
 * A Faye client in Node, subscribed to `channel`. It records every delivery whole (through
 * an incoming extension) so tests can check what the server put on the wire.
 */
export async function startFayePeer(endpoint, channel, servers) {
  const client = new faye.Client(endpoint, { timeout: 30 });
  const deliveries = [];
  const metaFailures = [];
  client.addExtension({
    incoming(message, callback) {
      if (message.channel.startsWith('/meta/')) {
        if (message.successful === false) metaFailures.push(message);
      } else if (message.data !== undefined) {
        deliveries.push(message);
      }
      callback(message);
    },
  });
  const subscription = client.subscribe(channel, () => {});
  try {
    await withTimeout(subscription, 15_000, `the Node Faye peer to subscribe to ${channel}`);
  } catch (error) {
    client.disconnect();
    const serverTail = servers ? `\nserver output (tail):\n${servers.parley.output().slice(-4000)}` : '';
    throw new Error(`${error.message}; meta failures: ${JSON.stringify(metaFailures)}${serverTail}`, { cause: error });
  }
  return {
    deliveries,
    metaFailures,
    transport: () => client._dispatcher._transport?.connectionType ?? null,
    publish: (data) => withTimeout(client.publish(channel, data), 15_000, `the Node Faye peer's publish to ${channel}`),
    stop: () => client.disconnect(),
  };
}

function withTimeout(thenable, timeout, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms waiting for ${what}`)), timeout);
    thenable.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(new Error(`${what} failed: ${error?.message ?? JSON.stringify(error)}`)); });
  });
}

let channelCounter = 0;
/** A channel no other test uses, so deliveries from one scenario never leak into another. */
export function uniqueChannel(label) {
  return `/browser/${label}-${process.pid}-${++channelCounter}`;
}
