// A switch of transport: WebSocket refused by something in front of the server, and a page that
// comes back on another transport. The conversation goes on, every message shown exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerAndBrowser, openPerson, openTab, uniqueName, register, befriend, openFriend, send, expectMessage, bubbles, eventually, holds, transportOf, waitConnected,
} from './support.mjs';
import { startProxy } from './proxy.mjs';

let server;
let browser;
useServerAndBrowser((s, b) => { server = s; browser = b; });

async function settled(page) {
  await eventually(async () => (await page.locator('.msg.pending').count()) === 0, { message: 'nothing pending' });
}

/** Two friends with their chat open on both sides; alice goes through baseUrl. Both close after test t. */
async function friends(t, aliceUrl, prefix, { query = '', initScript = null } = {}) {
  const alice = await openPerson(browser, aliceUrl, { query, initScript });
  t.after(() => alice.close());
  const bob = await openPerson(browser, server.url);
  t.after(() => bob.close());
  const a = uniqueName(`${prefix}a`);
  const b = uniqueName(`${prefix}b`);
  await register(alice.page, a, `${prefix} Ann`);
  await register(bob.page, b, `${prefix} Ben`);
  await befriend(alice.page, bob.page, b, `${prefix} Ann`);
  await openFriend(alice.page, b);
  await openFriend(bob.page, a);
  return { alice, bob, a, b };
}

test('a page opened where WebSocket upgrades are refused falls back to long-polling and chats', async (t) => {
  const proxy = await startProxy(server.url);
  t.after(() => proxy.close());
  proxy.refuseUpgrades();
  const { alice, bob } = await friends(t, proxy.url, 'nows');
  assert.equal(await transportOf(alice.page), 'long-polling');
  await send(alice.page, 'no websocket here');
  await expectMessage(bob.page, 'no websocket here');
  await send(bob.page, 'fine by me');
  await expectMessage(alice.page, 'fine by me');
  assert.deepEqual(await bubbles(alice.page), ['no websocket here', 'fine by me']);
});

test('a page on websocket whose upgrades start being refused goes on over long-polling without losing a message', async (t) => {
  const proxy = await startProxy(server.url);
  t.after(() => proxy.close());
  const { alice, bob } = await friends(t, proxy.url, 'sw');
  assert.equal(await transportOf(alice.page), 'websocket');
  await send(bob.page, 'over websocket');
  await expectMessage(alice.page, 'over websocket');
  // The proxy stops passing WebSocket: the open one is cut, new upgrades get 403.
  proxy.refuseUpgrades();
  await alice.page.locator('#link-chip:not([data-state="connected"])').waitFor();
  await send(bob.page, 'while switching');
  // The page finds HTTP working and WebSocket not, and handshakes again on long-polling.
  await alice.page.locator('#link-chip[data-state="connected"][data-transport="long-polling"]').waitFor({ timeout: 20_000 });
  await expectMessage(alice.page, 'while switching');
  await send(alice.page, 'over long-polling now');
  await expectMessage(bob.page, 'over long-polling now');
  await send(bob.page, 'and back');
  await expectMessage(alice.page, 'and back');
  await settled(alice.page);
  await settled(bob.page);
  const expected = ['over websocket', 'while switching', 'over long-polling now', 'and back'];
  assert.deepEqual(await bubbles(alice.page), expected);
  assert.deepEqual(await bubbles(bob.page), expected);
});

test('a page moved to long-polling goes back to websocket once upgrades pass again, each message shown once', async (t) => {
  const proxy = await startProxy(server.url);
  t.after(() => proxy.close());
  // The app retries WebSocket every minute; a test has no minute to spare.
  const { alice, bob } = await friends(t, proxy.url, 'bk', { initScript: () => localStorage.setItem('parley.wsRetryMs', '1500') });
  assert.equal(await transportOf(alice.page), 'websocket');
  proxy.refuseUpgrades();
  await alice.page.locator('#link-chip[data-state="connected"][data-transport="long-polling"]').waitFor({ timeout: 20_000 });
  await send(bob.page, 'to long-polling');
  await expectMessage(alice.page, 'to long-polling');
  // Still refused: the retries (every 1.5 s here) find out without leaving long-polling.
  await holds(async () => (await alice.page.locator('#link-chip').getAttribute('data-transport')) === 'long-polling'
    && (await alice.page.locator('#link-chip').getAttribute('data-state')) === 'connected', { period: 4000, message: 'connected over long-polling' });
  proxy.allowUpgrades();
  await send(bob.page, 'while going back');
  await alice.page.locator('#link-chip[data-state="connected"][data-transport="websocket"]').waitFor({ timeout: 20_000 });
  await eventually(() => proxy.tunnels > 0, { message: 'a WebSocket through the proxy' });
  await expectMessage(alice.page, 'while going back');
  await send(alice.page, 'websocket again');
  await expectMessage(bob.page, 'websocket again');
  await settled(alice.page);
  await settled(bob.page);
  const expected = ['to long-polling', 'while going back', 'websocket again'];
  assert.deepEqual(await bubbles(alice.page), expected);
  assert.deepEqual(await bubbles(bob.page), expected);
});

test('a page reloaded with another forced transport goes on with the conversation, each message shown once', async (t) => {
  const { alice, bob } = await friends(t, server.url, 'rl');
  const expected = [];
  const say = async (who, text) => {
    await send(who.page, text);
    expected.push(text);
  };
  assert.equal(await transportOf(alice.page), 'websocket');
  await say(alice, 'hello over websocket');
  await say(bob, 'hi back');
  await expectMessage(alice.page, 'hi back');

  for (const transport of ['long-polling', 'callback-polling', 'websocket']) {
    // Ben writes while Ann's page goes away and comes back on another transport.
    const navigation = alice.page.goto(`${server.url}/?transport=${transport}`);
    await say(bob, `while Ann switches to ${transport}`);
    await navigation;
    await waitConnected(alice.page);
    assert.equal(await transportOf(alice.page), transport);
    await openFriend(alice.page, (await bob.page.evaluate(() => window.parley.me.username)));
    await expectMessage(alice.page, `while Ann switches to ${transport}`);
    await say(alice, `Ann on ${transport}`);
    await say(bob, `Ben answers Ann on ${transport}`);
    await expectMessage(alice.page, `Ben answers Ann on ${transport}`);
    await expectMessage(bob.page, `Ann on ${transport}`);
    await settled(alice.page);
    assert.deepEqual(await bubbles(alice.page), expected);
  }
  await settled(bob.page);
  assert.deepEqual(await bubbles(bob.page), expected);
});

test('the conversation goes on in a new tab on another transport, history and live messages each shown once', async (t) => {
  const { alice, bob, b } = await friends(t, server.url, 'nt');
  const expected = [];
  const say = async (page, text) => {
    await send(page, text);
    expected.push(text);
  };
  let page = alice.page;
  assert.equal(await transportOf(page), 'websocket');
  await say(page, 'hello over websocket');
  await say(bob.page, 'hi back');
  await expectMessage(page, 'hi back');
  await settled(page);

  for (const transport of ['long-polling', 'callback-polling', 'websocket']) {
    // Ann closes her tab; Ben writes; Ann opens a new tab that uses another transport.
    await page.close();
    await say(bob.page, `while Ann moves to ${transport}`);
    page = await openTab(alice, server.url, { query: `?transport=${transport}` });
    await waitConnected(page);
    assert.equal(await transportOf(page), transport);
    await openFriend(page, b);
    await expectMessage(page, `while Ann moves to ${transport}`);
    await say(page, `Ann on ${transport}`);
    await expectMessage(bob.page, `Ann on ${transport}`);
    await say(bob.page, `Ben answers Ann on ${transport}`);
    await expectMessage(page, `Ben answers Ann on ${transport}`);
    await settled(page);
    assert.deepEqual(await bubbles(page), expected);
  }
  await settled(bob.page);
  assert.deepEqual(await bubbles(bob.page), expected);
});

test('a server that stays down through several failed websocket connects does not demote the page', async (t) => {
  const { alice, bob } = await friends(t, server.url, 'st');
  assert.equal(await transportOf(alice.page), 'websocket');
  await send(bob.page, 'before the stop');
  await expectMessage(alice.page, 'before the stop');
  await server.stopOnly();
  // Enough failures for the page to check HTTP (down too) at least twice.
  await eventually(() => alice.page.evaluate(() => window.parley.link.wsFailures >= 5), { timeout: 60_000, message: 'five failed websocket attempts' });
  assert.equal(await alice.page.evaluate(() => window.parley.link.demoted), false);
  await server.startAgain();
  await alice.page.locator('#link-chip[data-state="connected"]').waitFor({ timeout: 30_000 });
  await waitConnected(bob.page, 30_000);
  assert.equal(await transportOf(alice.page), 'websocket');
  await send(bob.page, 'after the restart');
  await expectMessage(alice.page, 'after the restart');
  await settled(alice.page);
  assert.deepEqual(await bubbles(alice.page), ['before the stop', 'after the restart']);
  assert.equal(await alice.page.evaluate(() => window.parley.link.demoted), false);
});
