// A person with several tabs, a page in the background (title flash and desktop notification)
// and a tab the browser froze while it slept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerAndBrowser, startServer, launchBareBrowser, openPerson, openPage, openTab, uniqueName, register, befriend, openFriend, send, expectMessage, bubbles, eventually, holds, waitConnected,
} from './support.mjs';

let server;
let browser;
useServerAndBrowser((s, b) => { server = s; browser = b; });

async function settled(page) {
  await eventually(async () => (await page.locator('.msg.pending').count()) === 0, { message: 'nothing pending' });
}

test('two tabs of the same browser signed in as one person both stay connected and show each message once', async () => {
  const alice = await openPerson(browser, server.url);
  const bob = await openPerson(browser, server.url);
  try {
    const a = uniqueName('taba');
    const b = uniqueName('tabb');
    await register(alice.page, a, 'Tabby Ann');
    await register(bob.page, b, 'Tab Ben');
    await befriend(alice.page, bob.page, b, 'Tabby Ann');

    // The second tab signs in with the cookie the first one got, and opens a session of its own.
    const second = await openTab(alice, server.url);
    await waitConnected(second);
    const tabs = [alice.page, second];
    for (const page of tabs) await openFriend(page, b);
    await openFriend(bob.page, a);

    await send(bob.page, 'from Ben to both tabs');
    for (const page of tabs) await expectMessage(page, 'from Ben to both tabs');

    await send(alice.page, 'typed in the first tab');
    await expectMessage(second, 'typed in the first tab');
    await expectMessage(bob.page, 'typed in the first tab');
    await send(second, 'typed in the second tab');
    await expectMessage(alice.page, 'typed in the second tab');
    await expectMessage(bob.page, 'typed in the second tab');
    // A last message from Ben: once it shows, everything before it has arrived wherever it was going.
    await send(bob.page, 'Ben again');
    const expected = ['from Ben to both tabs', 'typed in the first tab', 'typed in the second tab', 'Ben again'];
    for (const page of [...tabs, bob.page]) {
      await expectMessage(page, 'Ben again');
      await settled(page);
      assert.deepEqual(await bubbles(page), expected);
    }
    for (const page of tabs) {
      assert.equal(await page.locator('#kicked-dialog').count(), 0);
      assert.equal(await page.locator('#link-chip').getAttribute('data-state'), 'connected');
    }
  } finally {
    await alice.close();
    await bob.close();
  }
});

// Records every desktop notification the page creates, leaving permission to the browser.
const notificationSpy = () => {
  const Real = window.Notification;
  window.__notifications = [];
  class SpyNotification extends EventTarget {
    constructor(title, options = {}) {
      super();
      window.__notifications.push({ title, body: options.body, tag: options.tag });
      this.title = title;
      this.onclick = null;
    }
    close() {}
    static get permission() {
      return Real ? Real.permission : 'denied';
    }
    static requestPermission(...args) {
      return Real.requestPermission(...args);
    }
  }
  window.Notification = SpyNotification;
};

/** Makes the page believe it is in the background (or back in front) and tells it so. */
async function setHidden(page, hidden) {
  await page.evaluate((hidden) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('a message that arrives while the page is hidden flashes the title and shows a notification', async () => {
  const alice = await openPerson(browser, server.url, { permissions: ['notifications'], initScript: notificationSpy });
  const bob = await openPerson(browser, server.url);
  try {
    const a = uniqueName('nota');
    const b = uniqueName('notb');
    await register(alice.page, a, 'Noti Ann');
    await register(bob.page, b, 'Noti Ben');
    await befriend(alice.page, bob.page, b, 'Noti Ann');
    await openFriend(alice.page, b);
    await openFriend(bob.page, a);
    assert.equal(await alice.page.evaluate(() => Notification.permission), 'granted');

    // In front, with the conversation open: no flash, no notification.
    await send(bob.page, 'while you look');
    await expectMessage(alice.page, 'while you look');
    assert.equal(await alice.page.title(), 'Parley');
    assert.deepEqual(await alice.page.evaluate(() => window.__notifications), []);

    await setHidden(alice.page, true);
    await send(bob.page, 'while you are away');
    await expectMessage(alice.page, 'while you are away');
    // The title alternates between the new-message marker and the app's name.
    await eventually(async () => (await alice.page.title()) === '(1) New messages', { message: 'the title shows one new message' });
    await eventually(async () => (await alice.page.title()) === 'Parley', { message: 'the title flashes back' });
    await eventually(async () => (await alice.page.title()) === '(1) New messages', { message: 'and flashes again' });
    const notes = await alice.page.evaluate(() => window.__notifications);
    assert.deepEqual(notes.map((n) => [n.title, n.body]), [['Noti Ben', 'while you are away']]);

    await send(bob.page, 'still away?');
    await eventually(async () => (await alice.page.title()) === '(2) New messages', { message: 'the title counts two' });
    await eventually(async () => (await alice.page.evaluate(() => window.__notifications.length)) === 2, { message: 'a second notification' });

    // Back in front: the title returns and stays.
    await setHidden(alice.page, false);
    await eventually(async () => (await alice.page.title()) === 'Parley', { message: 'the title returns' });
    await holds(async () => (await alice.page.title()) === 'Parley', { period: 2500, message: 'the plain title' });
    assert.equal(await alice.page.evaluate(() => window.__notifications.length), 2);
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('a tab frozen while it sleeps shows every message sent meanwhile exactly once when it wakes', async () => {
  // A short MaxInterval: the server gives up on the frozen page's session within seconds.
  const sleepy = await startServer(['--Bayeux:MaxInterval=2000']);
  // Alice's tab lives in a browser Chromium may freeze (see launchBareBrowser).
  const bare = await launchBareBrowser();
  const bob = await openPerson(browser, sleepy.url);
  try {
    const alicePage = await openPage(bare.context, sleepy.url);
    const a = uniqueName('slpa');
    const b = uniqueName('slpb');
    await register(alicePage, a, 'Sleepy Ann');
    await register(bob.page, b, 'Wakeful Ben');
    await befriend(alicePage, bob.page, b, 'Sleepy Ann');
    await openFriend(alicePage, b);
    await openFriend(bob.page, a);
    await send(bob.page, 'before the nap');
    await expectMessage(alicePage, 'before the nap');
    const aliceId = await alicePage.evaluate(() => window.parley.me.userId);
    const statusOfAlice = () => bob.page.evaluate(async (id) => (await (await fetch(`/api/users/${id}`)).json()).status, aliceId);
    assert.equal(await statusOfAlice(), 'online');

    await alicePage.evaluate(() => {
      window.__lifecycle = [];
      for (const type of ['freeze', 'resume']) document.addEventListener(type, () => window.__lifecycle.push(type));
    });
    const cdp = await bare.context.newCDPSession(alicePage);
    await cdp.send('Page.setWebLifecycleState', { state: 'frozen' });
    assert.deepEqual(await alicePage.evaluate(() => window.__lifecycle), ['freeze']);
    const asleep = ['sent during the nap 1', 'sent during the nap 2 你好', 'sent during the nap 3 <i>x</i>'];
    for (const text of asleep) await send(bob.page, text);
    await expectMessage(bob.page, asleep[2]);
    // The server expires the frozen page's session (its held connect ends after Bayeux:Timeout,
    // 25 s, and no new one comes): Alice is offline to her friend.
    await eventually(async () => (await statusOfAlice()) === 'offline', { timeout: 45_000, interval: 500, message: "Alice's session to expire" });
    assert.deepEqual(await alicePage.evaluate(() => window.__lifecycle), ['freeze']);

    await cdp.send('Page.setWebLifecycleState', { state: 'active' });
    // …and the tab is in front again (focus emulation holds it visible).
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true });
    await eventually(async () => (await alicePage.evaluate(() => document.visibilityState)) === 'visible', { message: 'the tab visible again' });
    await waitConnected(alicePage, 30_000);
    for (const text of asleep) await expectMessage(alicePage, text);
    // One more after the wake-up: once it shows, any late copy of the earlier ones has arrived too.
    await send(bob.page, 'good morning');
    await expectMessage(alicePage, 'good morning');
    await eventually(async () => (await statusOfAlice()) === 'online', { message: 'Alice online again' });
    assert.deepEqual(await bubbles(alicePage), ['before the nap', ...asleep, 'good morning']);
    assert.equal(await alicePage.locator('#kicked-dialog').count(), 0);
  } finally {
    await bob.close();
    await bare.close();
    await sleepy.stop();
  }
});
