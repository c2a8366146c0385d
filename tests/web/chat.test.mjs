// Two people register, become friends and chat both ways; text is shown literally; typing,
// read marks and recall reach the other side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerAndBrowser, openPerson, uniqueName, register, befriend, openFriend, openChatWith, send, expectMessage, bubbles, screenshot, eventually, transportOf, tab,
} from './support.mjs';

let server;
let browser;
useServerAndBrowser((s, b) => { server = s; browser = b; });

test('two people register, befriend and chat both ways over websocket', async () => {
  const alice = await openPerson(browser, server.url);
  const bob = await openPerson(browser, server.url);
  try {
    const a = uniqueName('alice');
    const b = uniqueName('bob');
    await screenshot(alice.page, 'sign-in');
    await register(alice.page, a, 'Alice Liddell');
    await register(bob.page, b, '鲍勃');
    assert.equal(await transportOf(alice.page), 'websocket');

    await befriend(alice.page, bob.page, b, 'Alice Liddell');
    await screenshot(alice.page, 'contacts');

    await openFriend(alice.page, b);
    await send(alice.page, 'Hello Bob! 👋');
    await expectMessage(alice.page, 'Hello Bob! 👋');

    // Bob sees the conversation in his list with an unread badge, opens it and answers.
    await tab(bob.page, 'chats');
    const row = bob.page.locator('.conv').filter({ hasText: 'Alice Liddell' });
    await row.locator('.badge.unread').waitFor();
    await openChatWith(bob.page, 'Alice Liddell');
    await expectMessage(bob.page, 'Hello Bob! 👋');

    // Typing reaches Alice before the message does.
    await bob.page.locator('#composer-input').pressSequentially('你好');
    await alice.page.locator('.typing-line').filter({ hasText: '鲍勃' }).waitFor();
    await bob.page.locator('#composer-input').fill('');

    const nasty = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> & <b>bold</b>';
    await send(bob.page, nasty);
    await send(bob.page, '你好，爱丽丝！这是中文消息 🀄');
    await expectMessage(alice.page, '你好，爱丽丝！这是中文消息 🀄');
    await expectMessage(alice.page, nasty);
    assert.deepEqual(await bubbles(alice.page), ['Hello Bob! 👋', nasty, '你好，爱丽丝！这是中文消息 🀄']);
    assert.equal(await alice.page.evaluate(() => window.__pwned), undefined);
    assert.equal(await alice.page.locator('.messages script, .messages b, .messages img[src="x"]').count(), 0);

    // Shift+Enter makes a new line; Enter sends the two lines as one message.
    await alice.page.locator('#composer-input').pressSequentially('line one');
    await alice.page.locator('#composer-input').press('Shift+Enter');
    await alice.page.locator('#composer-input').pressSequentially('line two');
    await alice.page.locator('#composer-input').press('Enter');
    await expectMessage(bob.page, 'line one\nline two');

    // Bob has the conversation open: Alice sees her last message read.
    await alice.page.locator('.msg.mine .read-mark').waitFor();

    // An emoji from the picker.
    await alice.page.locator('#emoji-button').click();
    await alice.page.locator('#emoji-panel .emoji').filter({ hasText: '🎉' }).click();
    await alice.page.locator('#composer-input').press('Enter');
    await expectMessage(bob.page, '🎉');

    // Recall: Alice takes back a message; both sides show it as recalled.
    await send(alice.page, 'oops, wrong chat');
    await expectMessage(bob.page, 'oops, wrong chat');
    const mine = alice.page.locator('.msg.mine').filter({ hasText: 'oops, wrong chat' });
    await mine.hover();
    await mine.getByRole('button', { name: /Recall/ }).click();
    await bob.page.locator('.msg.is-recalled').waitFor();
    await alice.page.locator('.msg.mine.is-recalled').waitFor();
    assert.equal(await bob.page.locator('.bubble .text').filter({ hasText: 'oops, wrong chat' }).count(), 0);

    await screenshot(alice.page, 'chat');
    await screenshot(bob.page, 'chat-zh-text');
    assert.deepEqual(alice.log.filter((l) => l.includes('pageerror')), []);
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('history scrolls back: older pages load when the top is reached', async () => {
  const alice = await openPerson(browser, server.url);
  const bob = await openPerson(browser, server.url);
  try {
    const a = uniqueName('hista');
    const b = uniqueName('histb');
    await register(alice.page, a, 'Hist A');
    await register(bob.page, b, 'Hist B');
    await befriend(alice.page, bob.page, b, 'Hist A');
    // 75 messages through the app's own connection (faster than typing them).
    await openFriend(alice.page, b);
    await alice.page.evaluate(async (count) => {
      const chat = window.parley;
      const conv = document.querySelector('.chat').dataset.conv;
      for (let i = 1; i <= count; i++) chat.send(conv, `history ${i}`);
    }, 75);
    await expectMessage(alice.page, 'history 75');
    await eventually(async () => (await alice.page.locator('.msg.pending').count()) === 0, { message: 'all sent' });

    await openChatWith(bob.page, 'Hist A');
    await expectMessage(bob.page, 'history 75');
    const firstPage = await bubbles(bob.page);
    assert.ok(firstPage.length < 75, `the first page holds ${firstPage.length}`);
    // Scroll to the top until the beginning shows.
    await eventually(async () => {
      await bob.page.locator('.messages').evaluate((el) => { el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
      return (await bubbles(bob.page)).length === 75;
    }, { message: 'every page loaded' });
    const all = await bubbles(bob.page);
    assert.deepEqual(all, Array.from({ length: 75 }, (_, i) => `history ${i + 1}`));
    await bob.page.locator('.history-edge').filter({ hasText: /beginning/ }).waitFor();
  } finally {
    await alice.close();
    await bob.close();
  }
});
