// A group of three; an offline note shown at the next sign-in; a file and an image sent and opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import {
  useServerAndBrowser, openPerson, uniqueName, register, signIn, befriend, openFriend, openChatWith, send, expectMessage, bubbles, screenshot, tab, eventually, TIMEOUT,
} from './support.mjs';

let server;
let browser;
useServerAndBrowser((s, b) => { server = s; browser = b; });

test('a group of three: create, add members, chat, see members with roles and presence, leave', async () => {
  const people = await Promise.all([0, 1, 2].map(() => openPerson(browser, server.url)));
  const [owner, second, third] = people;
  try {
    const names = [uniqueName('gown'), uniqueName('gtwo'), uniqueName('gthr')];
    const display = ['Grace Owner', 'Gus Two', '顾三'];
    for (let i = 0; i < 3; i++) await register(people[i].page, names[i], display[i]);
    await befriend(owner.page, second.page, names[1], display[0]);
    await befriend(owner.page, third.page, names[2], display[0]);

    await tab(owner.page, 'groups');
    await owner.page.locator('#new-group').click();
    await owner.page.locator('#group-name').fill('Book club 读书会');
    await owner.page.locator(`#new-group-dialog label[data-user="${names[1]}"]`).click();
    await owner.page.locator(`#new-group-dialog label[data-user="${names[2]}"]`).click();
    await owner.page.locator('#new-group-dialog button[type=submit]').click();
    await owner.page.locator('#chat-title').filter({ hasText: 'Book club 读书会' }).waitFor();

    await send(owner.page, 'Welcome to the club!');
    for (const p of [second, third]) {
      await tab(p.page, 'groups');
      await p.page.locator('.item').filter({ hasText: 'Book club 读书会' }).click();
      await expectMessage(p.page, 'Welcome to the club!');
    }
    await send(second.page, 'Thanks, Grace');
    await send(third.page, '大家好 <b>not bold</b>');
    for (const p of people) {
      await expectMessage(p.page, '大家好 <b>not bold</b>');
      const texts = await bubbles(p.page);
      assert.deepEqual(texts, ['Welcome to the club!', 'Thanks, Grace', '大家好 <b>not bold</b>']);
    }
    // Authors are named in a group.
    await owner.page.locator('.msg.theirs .author').filter({ hasText: '顾三' }).waitFor();

    // Members with roles and presence.
    await owner.page.locator('#members-button').click();
    const dialog = owner.page.locator('#members-dialog');
    await dialog.locator(`[data-user="${names[0]}"] .role.owner`).waitFor();
    await dialog.locator(`[data-user="${names[1]}"] .role.member`).waitFor();
    await dialog.locator(`[data-user="${names[2]}"] .presence.online`).waitFor();
    await screenshot(owner.page, 'group-members');
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await screenshot(owner.page, 'group-chat');

    // The third member leaves; the others keep chatting without them.
    await third.page.locator('#members-button').click();
    await third.page.locator('#leave-group').click();
    await third.page.locator('#confirm-dialog').getByText('Leave this group?').waitFor();
    await third.page.locator('#confirm-ok').click();
    await third.page.locator('#members-dialog').waitFor({ state: 'detached' });
    await tab(third.page, 'groups');
    await eventually(async () => (await third.page.locator('.panel .item').filter({ hasText: 'Book club' }).count()) === 0, { message: 'group gone from the list' });
    await send(owner.page, 'after the leave');
    await expectMessage(second.page, 'after the leave');
  } finally {
    for (const p of people) await p.close();
  }
});

test('a note sent while its reader is signed out is shown at the next sign-in', async () => {
  const alice = await openPerson(browser, server.url);
  let bob = await openPerson(browser, server.url);
  try {
    const a = uniqueName('offa');
    const b = uniqueName('offb');
    await register(alice.page, a, 'Olive');
    await register(bob.page, b, 'Otto');
    await befriend(alice.page, bob.page, b, 'Olive');
    await bob.close(); // gone: the browser with its cookie

    await openFriend(alice.page, b);
    await send(alice.page, 'A note for later 📝 稍后再看');
    await send(alice.page, 'and a second one');
    await expectMessage(alice.page, 'and a second one');

    bob = await openPerson(browser, server.url);
    await signIn(bob.page, b);
    await tab(bob.page, 'chats');
    const row = bob.page.locator('.conv').filter({ hasText: 'Olive' });
    await row.locator('.badge.unread').filter({ hasText: '2' }).waitFor();
    await row.locator('.preview').filter({ hasText: 'and a second one' }).waitFor();
    await screenshot(bob.page, 'offline-note-unread');
    await row.click();
    await expectMessage(bob.page, 'A note for later 📝 稍后再看');
    assert.deepEqual(await bubbles(bob.page), ['A note for later 📝 稍后再看', 'and a second one']);
    // Reading it clears the badge, and Olive sees it read.
    await eventually(async () => (await row.locator('.badge.unread').count()) === 0, { message: 'badge cleared' });
    await alice.page.locator('.msg.mine .read-mark').waitFor();
  } finally {
    await alice.close();
    await bob.close();
  }
});

function png(width, height) {
  // A small valid PNG (solid colour) made here, so the test needs no fixture file.
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0)]);
  for (let x = 0; x < width; x++) row.set([43, 108, 176], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

test('a file and an image are sent with progress and opened by the peer', async () => {
  const alice = await openPerson(browser, server.url);
  const bob = await openPerson(browser, server.url);
  try {
    const a = uniqueName('fa');
    const b = uniqueName('fb');
    await register(alice.page, a, 'Fiona');
    await register(bob.page, b, 'Felix');
    await befriend(alice.page, bob.page, b, 'Fiona');
    await openFriend(alice.page, b);

    // Record whether the upload row with its progress bar ever appears (the loopback upload is quick).
    await alice.page.evaluate(() => {
      window.__sawProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('.uploads .upload progress')) window.__sawProgress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    const notes = 'meeting notes\n会议记录 ✅\n'.repeat(20_000); // ~600 KB, so progress shows
    await alice.page.locator('#file-input').setInputFiles([
      { name: 'notes <1>.txt', mimeType: 'text/plain', buffer: Buffer.from(notes) },
      { name: 'blue.png', mimeType: 'image/png', buffer: png(120, 80) },
    ]);
    // The server strips markup characters from file names; the rest is shown as text.
    await alice.page.locator('.msg.mine .file-card').filter({ hasText: 'notes 1.txt' }).waitFor();
    await alice.page.locator('.msg.mine img.image').waitFor();
    assert.equal(await alice.page.evaluate(() => window.__sawProgress), true);

    await openChatWith(bob.page, 'Fiona');
    const card = bob.page.locator('.msg.theirs .file-card').filter({ hasText: 'notes 1.txt' });
    await card.waitFor();
    // Opening the file: the link downloads what was sent.
    const href = await card.getAttribute('href');
    const body = await bob.page.evaluate(async (url) => (await fetch(url)).text(), href);
    assert.equal(body, notes);
    // The image is shown inline, decoded at its real size.
    const img = bob.page.locator('.msg.theirs img.image');
    await img.waitFor();
    await eventually(() => img.evaluate((el) => el.complete && el.naturalWidth === 120 && el.naturalHeight === 80), { message: 'image decoded' });
    const [popup] = await Promise.all([bob.page.waitForEvent('popup', { timeout: TIMEOUT }), bob.page.locator('.image-link').click()]);
    await popup.waitForLoadState();
    assert.match(popup.url(), /\/api\/files\//);
    await popup.close();
    await screenshot(bob.page, 'files');
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('a click lands even when an update redraws the list between the press and the release', async () => {
  const person = await openPerson(browser, server.url);
  try {
    await register(person.page, uniqueName('press'), 'Pat Press');
    const page = person.page;
    // Where the button is (redraws may replace it while it is measured: measure until one holds).
    const box = await eventually(() => page.locator('#tab-contacts').boundingBox(), { message: 'the Contacts tab on screen' });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    // An update arrives (as a presence change or a friend request would) while the button is held.
    await page.evaluate(() => new Promise((resolve) => {
      window.parley.emit({ kind: 'friends' });
      window.parley.emit({ kind: 'me' });
      setTimeout(resolve, 0);
    }));
    await page.mouse.up();
    await page.locator('#tab-contacts[aria-selected="true"]').waitFor();
    await page.locator('#people-search').waitFor();
  } finally {
    await person.close();
  }
});
