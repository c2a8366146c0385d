// Flows run once per transport (websocket, then long-polling forced with ?transport=…): chat,
// a server restart in the middle of a conversation, and a second sign-in that kicks the first.
import assert from 'node:assert/strict';
import {
  openPerson, uniqueName, register, signIn, befriend, openFriend, openChatWith, send, expectMessage,
  bubbles, eventually, transportOf, waitConnected, screenshot,
} from './support.mjs';

export async function chatBothWays(browser, server, transport) {
  const query = transport === 'websocket' ? '' : `?transport=${transport}`;
  const alice = await openPerson(browser, server.url, { query });
  const bob = await openPerson(browser, server.url, { query });
  try {
    const a = uniqueName('pa');
    const b = uniqueName('pb');
    await register(alice.page, a, `Ann ${transport}`);
    await register(bob.page, b, `Ben ${transport}`);
    assert.equal(await transportOf(alice.page), transport);
    assert.equal(await transportOf(bob.page), transport);
    // The chip says it in words too: "Connected · <transport>".
    assert.match(await alice.page.locator('#link-chip').innerText(), new RegExp(`Connected\\s*·\\s*${transport}$`));
    await befriend(alice.page, bob.page, b, `Ann ${transport}`);
    await openFriend(alice.page, b);
    await send(alice.page, `ping over ${transport}`);
    await openChatWith(bob.page, `Ann ${transport}`);
    await expectMessage(bob.page, `ping over ${transport}`);
    await send(bob.page, `pong over ${transport} 中文 <script>x</script>`);
    await expectMessage(alice.page, `pong over ${transport} 中文 <script>x</script>`);
    assert.deepEqual(await bubbles(alice.page), [`ping over ${transport}`, `pong over ${transport} 中文 <script>x</script>`]);
  } finally {
    await alice.close();
    await bob.close();
  }
}

/**
 * The server stops mid-conversation and comes back on the same port and data: both pages show
 * the banner, reconnect by themselves, send what was typed while it was down, and every message
 * is shown exactly once, in order.
 */
export async function serverRestart(browser, server, transport) {
  const query = transport === 'websocket' ? '' : `?transport=${transport}`;
  const alice = await openPerson(browser, server.url, { query });
  const bob = await openPerson(browser, server.url, { query });
  try {
    const a = uniqueName('ra');
    const b = uniqueName('rb');
    await register(alice.page, a, 'Restart A');
    await register(bob.page, b, 'Restart B');
    await befriend(alice.page, bob.page, b, 'Restart A');
    await openFriend(alice.page, b);
    await openFriend(bob.page, a);

    const expected = [];
    for (let i = 1; i <= 3; i++) {
      const who = i % 2 ? alice : bob;
      await send(who.page, `before restart ${i}`);
      expected.push(`before restart ${i}`);
      await expectMessage(who.page, `before restart ${i}`);
    }
    await expectMessage(alice.page, 'before restart 3');
    await expectMessage(bob.page, 'before restart 3');

    await server.stopOnly();
    await alice.page.locator('.banner.reconnecting, .banner.offline').waitFor();
    await bob.page.locator('.banner.reconnecting, .banner.offline').waitFor();
    await screenshot(alice.page, `reconnecting-${transport}`);
    // Typed while the server is down: kept, and sent after the reconnect.
    await send(alice.page, 'written while down');
    expected.push('written while down');
    await alice.page.locator('.msg.pending').waitFor();

    await server.startAgain();
    await waitConnected(alice.page, 30_000);
    await waitConnected(bob.page, 30_000);
    assert.equal(await transportOf(alice.page), transport);
    await expectMessage(bob.page, 'written while down', 30_000);

    for (let i = 4; i <= 6; i++) {
      const who = i % 2 ? alice : bob;
      await send(who.page, `after restart ${i}`);
      expected.push(`after restart ${i}`);
      // Stored before the other one writes: two people typing at once have no order to expect.
      await expectMessage(who.page, `after restart ${i}`);
    }
    await expectMessage(alice.page, 'after restart 6');
    await expectMessage(bob.page, 'after restart 6');
    for (const person of [alice, bob]) {
      await eventually(async () => (await person.page.locator('.msg.pending').count()) === 0, { message: 'nothing pending' });
      assert.deepEqual(await bubbles(person.page), expected);
    }
    // A reload replays the session (reload extension) or signs in again with the cookie, and still shows each message once.
    await bob.page.reload();
    await waitConnected(bob.page);
    await openChatWith(bob.page, 'Restart A');
    await expectMessage(bob.page, 'after restart 6');
    assert.deepEqual(await bubbles(bob.page), expected);
  } finally {
    await alice.close();
    await bob.close();
  }
}

/** A second sign-in kicks the first page, which offers to sign in there again. */
export async function kicked(browser, server, transport) {
  const query = transport === 'websocket' ? '' : `?transport=${transport}`;
  const first = await openPerson(browser, server.url, { query });
  const second = await openPerson(browser, server.url, { query });
  try {
    const name = uniqueName('kick');
    await register(first.page, name, 'Kicked Kim');
    await signIn(second.page, name);
    await first.page.locator('#kicked-dialog').waitFor();
    await first.page.getByText(/signed in from another window/).waitFor();
    await screenshot(first.page, `kicked-${transport}`);
    // The second page keeps working.
    await waitConnected(second.page);
    // "Sign in here" takes the session back: now the second page is the one kicked.
    await first.page.locator('#sign-in-here').click();
    await waitConnected(first.page);
    await second.page.locator('#kicked-dialog').waitFor();
    // …and the first is not kicked back in a loop.
    await eventually(async () => (await first.page.locator('#link-chip').getAttribute('data-state')) === 'connected', { message: 'first stays connected' });
    assert.equal(await first.page.locator('#kicked-dialog').count(), 0);
  } finally {
    await first.close();
    await second.close();
  }
}
