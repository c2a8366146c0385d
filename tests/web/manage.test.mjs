// Managing people: friend categories (分组), blocking, removing a friend, a group's roles and name;
// the file details and the peer's read mark the server gives a page that starts afresh; and the
// new dialogs on a 360 px phone in Chinese, by keyboard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerAndBrowser, openPerson, uniqueName, register, befriend, openFriend, openChatWith, send, expectMessage, bubbles, screenshot, tab,
  eventually, confirmInApp, sidewaysOverflow, waitConnected,
} from './support.mjs';

let server;
let browser;
useServerAndBrowser((s, b) => { server = s; browser = b; });

const userIdOf = (page) => page.evaluate(() => window.parley.me.userId);

async function people(count, prefix, options = {}) {
  const list = [];
  for (let i = 0; i < count; i++) {
    const person = await openPerson(browser, server.url, options);
    person.username = uniqueName(`${prefix}${i}`);
    list.push(person);
  }
  return list;
}

async function openFriendDialog(page, username) {
  await tab(page, 'contacts');
  await page.locator(`.friend-more[data-user="${username}"]`).click();
  await page.locator('#friend-dialog').waitFor();
}

async function createGroup(page, name, usernames) {
  await tab(page, 'groups');
  await page.locator('#new-group').click();
  await page.locator('#group-name').fill(name);
  for (const u of usernames) await page.locator(`#new-group-dialog label[data-user="${u}"]`).click();
  await page.locator('#new-group-dialog button[type=submit]').click();
  await page.locator('#chat-title').filter({ hasText: name }).waitFor();
}

async function openGroup(page, name) {
  await tab(page, 'groups');
  await page.locator('.panel .item').filter({ hasText: name }).click();
  await page.locator('#chat-title').filter({ hasText: name }).waitFor();
}

test('friend categories: create, rename, move a friend in and out, delete — names shown as text', async () => {
  const [alice, bob, carol] = await people(3, 'cat');
  try {
    await register(alice.page, alice.username, 'Cat Alice');
    await register(bob.page, bob.username, 'Cat Bob');
    await register(carol.page, carol.username, 'Cat Carol');
    await befriend(alice.page, bob.page, bob.username, 'Cat Alice');
    await befriend(alice.page, carol.page, carol.username, 'Cat Alice');
    const page = alice.page;
    const family = 'Family 家人 <b>x</b>';

    await tab(page, 'contacts');
    await page.locator('#manage-categories').click();
    const dialog = page.locator('#categories-dialog');
    await dialog.getByText(/No categories yet/).waitFor();
    await page.locator('#new-category').fill(family);
    await page.locator('#new-category').press('Enter');
    await dialog.locator('.cat-list li').first().waitFor();
    await page.locator('#new-category').fill('Work');
    await page.locator('#create-category').click();
    const rows = dialog.locator('.cat-list li');
    await eventually(async () => (await rows.count()) === 2, { message: 'two categories' });
    assert.equal(await rows.nth(0).locator('input').inputValue(), family);

    // Rename "Work" by editing its name and pressing Enter.
    const work = rows.filter({ has: page.locator('input[aria-label$=": Work"]') });
    const workId = await work.getAttribute('data-category');
    await work.locator('input').fill('Colleagues 同事');
    await work.locator('input').press('Enter');
    await page.locator(`details.category[data-category="${workId}"] summary`).filter({ hasText: 'Colleagues 同事' }).waitFor();

    // Escape closes the dialog and gives the focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'manage-categories');

    // Move Bob into the family and Carol to the colleagues.
    const familyId = await page.evaluate(() => window.parley.categories[0].id);
    await openFriendDialog(page, bob.username);
    await page.locator('#friend-category').selectOption({ label: family });
    await page.locator('#friend-move').click();
    await page.locator('.toast.show').filter({ hasText: `Moved to ${family}` }).waitFor();
    await page.locator('#friend-dialog').getByRole('button', { name: 'Close' }).click();
    await openFriendDialog(page, carol.username);
    await page.locator('#friend-category').selectOption(workId);
    await page.locator('#friend-move').click();
    await page.locator(`details.category[data-category="${workId}"] .friend[data-user="${carol.username}"]`).waitFor();
    await page.keyboard.press('Escape');
    const familyList = page.locator(`details.category[data-category="${familyId}"]`);
    await familyList.locator(`.friend[data-user="${bob.username}"]`).waitFor();
    // The name is text: no <b> element was made from it.
    assert.equal(await familyList.locator('summary').innerText().then((s) => s.includes('<b>x</b>')), true);
    assert.equal(await page.locator('.category summary b').count(), 0);

    // An empty search puts the list back on its own, for the picture.
    await page.locator('#people-search').fill('');
    await page.locator('form.search button[type=submit]').click();
    await page.locator('.results').waitFor({ state: 'detached' });
    await page.locator('#manage-categories').click();
    await dialog.locator('.cat-row .count').filter({ hasText: '1' }).first().waitFor();
    await screenshot(page, 'categories');
    await page.keyboard.press('Escape');

    // Kept by the server: a reload shows the same.
    await page.reload();
    await waitConnected(page);
    await tab(page, 'contacts');
    await page.locator(`details.category[data-category="${familyId}"] .friend[data-user="${bob.username}"]`).waitFor();

    // Deleting the family asks first; its friends stay, uncategorized.
    await page.locator('#manage-categories').click();
    await page.locator(`#cat-delete-${familyId}`).click();
    await page.locator('#confirm-cancel').click();
    await page.locator('#confirm-dialog').waitFor({ state: 'detached' });
    assert.equal(await dialog.locator('.cat-list li').count(), 2);
    await page.locator(`#cat-delete-${familyId}`).click();
    await confirmInApp(page, 'Delete the category “Family 家人 <b>x</b>”?');
    await eventually(async () => (await dialog.locator('.cat-list li').count()) === 1, { message: 'one category left' });
    await page.keyboard.press('Escape');
    await page.locator(`details.category[data-category="default"] .friend[data-user="${bob.username}"]`).waitFor();
    assert.equal(await page.locator(`details.category[data-category="${familyId}"]`).count(), 0);
    // Categories are the owner's alone: Bob's list has none.
    assert.equal(await bob.page.evaluate(() => window.parley.categories.length), 0);
  } finally {
    for (const p of [alice, bob, carol]) await p.close();
  }
});

test('block and unblock: messages are refused both ways while blocked, the blocked list undoes it', async () => {
  const [alice, bob] = await people(2, 'blk');
  try {
    await register(alice.page, alice.username, 'Block Alice');
    await register(bob.page, bob.username, 'Block Bob');
    await befriend(alice.page, bob.page, bob.username, 'Block Alice');
    await openFriend(bob.page, alice.username);
    await send(bob.page, 'before the block');
    await openFriend(alice.page, bob.username);
    await expectMessage(alice.page, 'before the block');
    await bob.page.locator(`.chat-sub .presence.online`).waitFor();

    await openFriendDialog(alice.page, bob.username);
    await alice.page.locator('#friend-block').click();
    await alice.page.locator('#friend-dialog .tag.blocked').waitFor();
    assert.equal(await alice.page.locator('#friend-block').innerText(), 'Unblock');
    await alice.page.keyboard.press('Escape');
    await alice.page.locator(`.friend[data-user="${bob.username}"] .tag.blocked`).waitFor();
    await alice.page.locator('#show-blocked').filter({ hasText: '(1)' }).waitFor();
    // Bob sees Alice offline now.
    await bob.page.locator(`.chat-sub .presence.offline`).waitFor();

    // Refused both ways: the sender is told, and the message is not kept as pending.
    await send(bob.page, 'while blocked');
    await bob.page.locator('.toast.show').waitFor();
    await eventually(async () => (await bob.page.locator('.msg.pending').count()) === 0, { message: 'refused message dropped' });
    await send(alice.page, 'to someone I blocked');
    await alice.page.locator('.toast.show').waitFor();
    await eventually(async () => (await alice.page.locator('.msg.pending').count()) === 0, { message: 'refused message dropped' });

    await alice.page.locator('#show-blocked').click();
    const dialog = alice.page.locator('#blocked-dialog');
    await dialog.locator(`li[data-user="${bob.username}"]`).filter({ hasText: 'Block Bob' }).waitFor();
    await screenshot(alice.page, 'blocked');
    await dialog.getByRole('button', { name: 'Unblock: Block Bob' }).click();
    await dialog.getByText('You have not blocked anyone.').waitFor();
    await alice.page.keyboard.press('Escape');
    await eventually(async () => (await alice.page.locator('.tag.blocked').count()) === 0, { message: 'no blocked tag' });

    await send(bob.page, 'after the unblock');
    await expectMessage(alice.page, 'after the unblock');
    // Nothing refused slipped through.
    assert.deepEqual(await bubbles(alice.page), ['before the block', 'after the unblock']);
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('removing a friend asks first; cancelled it keeps them, confirmed both lists lose each other', async () => {
  const [alice, bob] = await people(2, 'rmf');
  try {
    await register(alice.page, alice.username, 'Remove Alice');
    await register(bob.page, bob.username, 'Remove Bob');
    await befriend(alice.page, bob.page, bob.username, 'Remove Alice');

    await openFriendDialog(alice.page, bob.username);
    await alice.page.locator('#friend-remove').click();
    await alice.page.locator('#confirm-text').filter({ hasText: 'Remove Remove Bob from your friends?' }).waitFor();
    // Cancel has the focus: Enter does not remove anyone.
    assert.equal(await alice.page.evaluate(() => document.activeElement?.id), 'confirm-cancel');
    await alice.page.keyboard.press('Enter');
    await alice.page.locator('#confirm-dialog').waitFor({ state: 'detached' });
    await alice.page.locator('#friend-dialog').waitFor();
    assert.equal(await alice.page.locator(`.friend[data-user="${bob.username}"]`).count(), 1);

    await alice.page.locator('#friend-remove').click();
    await confirmInApp(alice.page, 'Remove Remove Bob from your friends?');
    await alice.page.locator('#friend-dialog').waitFor({ state: 'detached' });
    await alice.page.locator(`.friend[data-user="${bob.username}"]`).waitFor({ state: 'detached' });
    await tab(bob.page, 'contacts');
    await bob.page.locator(`.friend[data-user="${alice.username}"]`).waitFor({ state: 'detached' });
    await bob.page.getByText('No friends yet').waitFor();
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('group roles: the owner promotes, demotes and hands over; admins remove and rename; members only look', async () => {
  const list = await people(4, 'role');
  const [owner, amy, ben, cat] = list;
  const names = ['Olga Owner', 'Amy Admin', 'Ben Member', 'Cat Removed'];
  try {
    for (let i = 0; i < 4; i++) await register(list[i].page, list[i].username, names[i]);
    for (const p of [amy, ben, cat]) await befriend(owner.page, p.page, p.username, names[0]);
    await createGroup(owner.page, 'Roles 角色', [amy.username, ben.username, cat.username]);
    for (const p of [amy, ben, cat]) await openGroup(p.page, 'Roles 角色');

    const members = (p) => p.page.locator('#members-dialog');
    const row = (p, who) => members(p).locator(`.member[data-user="${who.username}"]`);
    await owner.page.locator('#members-button').click();
    for (const who of [amy, ben, cat]) {
      await row(owner, who).locator('[data-action="admin"]').waitFor();
      await row(owner, who).locator('[data-action="owner"]').waitFor();
      await row(owner, who).locator('[data-action="remove"]').waitFor();
    }
    assert.equal(await row(owner, owner).locator('button').count(), 0);

    // Amy and Ben keep their members dialog open: it follows the changes live.
    for (const p of [amy, ben]) await p.page.locator('#members-button').click();
    await members(ben).locator('.member').nth(3).waitFor();
    assert.equal(await members(ben).locator('.member-actions, #rename-group-form, #invite-select').count(), 0);
    assert.equal(await members(amy).locator('#rename-group-form').count(), 0);

    await row(owner, amy).getByRole('button', { name: 'Make admin: Amy Admin' }).click();
    await row(owner, amy).and(owner.page.locator('[data-role="admin"]')).waitFor();
    await owner.page.locator('.toast.show').filter({ hasText: 'Amy Admin is now Admin' }).waitFor();
    // Amy, now an admin, may remove members and rename, but not touch the owner or set roles.
    await row(amy, amy).and(amy.page.locator('[data-role="admin"]')).waitFor();
    await members(amy).locator('#rename-group-form').waitFor();
    await row(amy, ben).locator('[data-action="remove"]').waitFor();
    assert.equal(await row(amy, owner).locator('button').count(), 0);
    assert.equal(await members(amy).locator('[data-action="admin"], [data-action="owner"]').count(), 0);
    await row(ben, amy).locator('.tag.role.admin').waitFor();
    await screenshot(owner.page, 'group-roles');

    // Amy removes Cat (asked first); Cat's page loses the group.
    await row(amy, cat).locator('[data-action="remove"]').click();
    await confirmInApp(amy.page, 'Remove Cat Removed from the group?');
    await row(owner, cat).waitFor({ state: 'detached' });
    await members(owner).locator('#members-dialog-title').filter({ hasText: '3 members' }).waitFor();
    await tab(cat.page, 'groups');
    await eventually(async () => (await cat.page.locator('.panel .item').filter({ hasText: 'Roles 角色' }).count()) === 0, { message: 'group gone for Cat' });

    // Amy renames the group; everyone sees the new name as text.
    const renamed = 'Renamed <i>群</i>';
    await amy.page.locator('#group-rename').fill(renamed);
    await amy.page.locator('#group-rename').press('Enter');
    await owner.page.locator('#members-dialog-title').filter({ hasText: renamed }).waitFor();
    await owner.page.locator('#chat-title').filter({ hasText: renamed }).waitFor();
    await members(ben).locator('#members-dialog-title').filter({ hasText: renamed }).waitFor();
    await ben.page.keyboard.press('Escape');
    await tab(ben.page, 'groups');
    await ben.page.locator('.panel .item .name').filter({ hasText: renamed }).waitFor();
    assert.equal(await owner.page.locator('#chat-title i, #members-dialog-title i').count(), 0);
    await screenshot(owner.page, 'group-renamed');

    // The owner hands over to Amy (asked first) and becomes an admin.
    await row(owner, amy).locator('[data-action="owner"]').click();
    await confirmInApp(owner.page, 'Hand the group over to Amy Admin?');
    await row(owner, amy).and(owner.page.locator('[data-role="owner"]')).waitFor();
    await row(owner, owner).and(owner.page.locator('[data-role="admin"]')).waitFor();
    assert.equal(await members(owner).locator('[data-action="admin"], [data-action="owner"], [data-action="member"]').count(), 0);
    await row(owner, ben).locator('[data-action="remove"]').waitFor();
    assert.equal(await row(owner, amy).locator('button').count(), 0);
    // Amy, the owner now, takes Olga's admin role away: Olga can no longer rename.
    await row(amy, owner).locator('[data-action="member"]').click();
    await row(owner, owner).and(owner.page.locator('[data-role="member"]')).waitFor();
    await members(owner).locator('#rename-group-form').waitFor({ state: 'detached' });
    assert.equal(await members(owner).locator('.member-actions').count(), 0);
  } finally {
    for (const p of list) await p.close();
  }
});

test('a page that starts afresh gets file sizes and the peer read mark from the server', async () => {
  const [alice, bob] = await people(2, 'det');
  try {
    await register(alice.page, alice.username, 'Detail Alice');
    await register(bob.page, bob.username, 'Detail Bob');
    await befriend(alice.page, bob.page, bob.username, 'Detail Alice');
    await openFriend(alice.page, bob.username);
    await openFriend(bob.page, alice.username);

    await alice.page.locator('#file-input').setInputFiles({ name: 'report.txt', mimeType: 'text/plain', buffer: Buffer.alloc(3 * 1024, 'a') });
    await alice.page.locator('.msg.mine:not(.pending) .file-size').filter({ hasText: '3 KB' }).waitFor();
    // Pushed live, the message names only the file: the page asks for its details.
    await bob.page.locator('.msg.theirs .file-card').filter({ hasText: 'report.txt' }).locator('.file-size').filter({ hasText: '3 KB' }).waitFor();
    await send(alice.page, 'did you get it?');
    await expectMessage(bob.page, 'did you get it?');
    await alice.page.locator('.msg.mine').last().locator('.read-mark').waitFor();

    // The REST answers carry them (docs/api.md).
    const rest = await alice.page.evaluate(async () => {
      const convs = (await (await fetch('/api/conversations')).json()).conversations;
      const history = (await (await fetch(`/api/conversations/${convs[0].conv}/messages`)).json()).messages;
      const file = history.find((m) => m.kind === 'file');
      const info = await (await fetch(`/api/files/${file.fileId}/info`)).json();
      return { conv: convs[0], file, info };
    });
    assert.equal(rest.conv.peerReadSeq, rest.conv.lastSeq);
    assert.deepEqual(rest.file.file, { name: 'report.txt', size: 3072, contentType: 'text/plain; charset=utf-8' });
    assert.deepEqual(rest.info, { fileId: rest.file.fileId, name: 'report.txt', size: 3072, contentType: 'text/plain; charset=utf-8' });

    // A reload: history brings the size, the conversation list the peer's read mark.
    let infoRequests = 0;
    alice.page.on('request', (r) => { if (/\/api\/files\/[^/]+\/info$/.test(r.url())) infoRequests++; });
    await alice.page.reload();
    await waitConnected(alice.page);
    await openChatWith(alice.page, 'Detail Bob');
    await alice.page.locator('.msg.mine .file-size').filter({ hasText: '3 KB' }).waitFor();
    await alice.page.locator('.msg.mine').filter({ hasText: 'did you get it?' }).locator('.read-mark').waitFor();
    assert.equal(infoRequests, 0);
  } finally {
    await alice.close();
    await bob.close();
  }
});

test('on a 360 px phone in Chinese the new dialogs fit, are translated and work from the keyboard', async () => {
  const phone = await openPerson(browser, server.url, { viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
  const desk = await openPerson(browser, server.url);
  try {
    const p = uniqueName('zhp');
    const d = uniqueName('zhd');
    await register(phone.page, p, '手机用户');
    await register(desk.page, d, 'Desk Dora');
    await befriend(desk.page, phone.page, p, 'Desk Dora');
    const page = phone.page;
    await tab(page, 'contacts');
    assert.deepEqual(await sidewaysOverflow(page, '.sidebar'), []);

    // The friend's "⋯" by keyboard: focus, Enter opens, Escape closes and gives the focus back.
    const more = page.locator(`.friend-more[data-user="${d}"]`);
    assert.equal(await more.getAttribute('aria-label'), 'Desk Dora 的更多操作');
    await more.focus();
    await page.keyboard.press('Enter');
    const friend = page.locator('#friend-dialog');
    await friend.getByRole('button', { name: '删除好友' }).waitFor();
    await friend.getByRole('button', { name: '拉黑' }).waitFor();
    await friend.getByText('分组', { exact: true }).waitFor();
    assert.deepEqual(await sidewaysOverflow(page, '#friend-dialog'), []);
    await page.keyboard.press('Escape');
    await friend.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('friend-more')), true);

    // Categories by keyboard: type a name, Enter creates it.
    await page.locator('#manage-categories').focus();
    await page.keyboard.press('Enter');
    const categories = page.locator('#categories-dialog');
    await categories.getByText('还没有分组。').waitFor();
    await page.locator('#new-category').focus();
    await page.keyboard.type('大学同学');
    await page.keyboard.press('Enter');
    await categories.locator('.cat-row').waitFor();
    await categories.getByRole('button', { name: '删除: 大学同学' }).waitFor();
    assert.deepEqual(await sidewaysOverflow(page, '#categories-dialog'), []);
    await screenshot(page, 'phone-categories');
    await page.keyboard.press('Escape');

    await page.locator('#show-blocked').click();
    await page.locator('#blocked-dialog').getByText('黑名单是空的。').waitFor();
    assert.deepEqual(await sidewaysOverflow(page, '#blocked-dialog'), []);
    await page.keyboard.press('Escape');

    // A group's members with the owner's controls, in Chinese, on the phone.
    await createGroup(page, '周末爬山 ⛰️', [d]);
    await page.locator('#members-button').click();
    const members = page.locator('#members-dialog');
    await members.getByRole('button', { name: '设为管理员: Desk Dora' }).waitFor();
    await members.getByRole('button', { name: '转让群主: Desk Dora' }).waitFor();
    await members.getByRole('button', { name: '移出: Desk Dora' }).waitFor();
    await members.getByText('群主', { exact: true }).waitFor();
    assert.deepEqual(await sidewaysOverflow(page, '#members-dialog'), []);
    await screenshot(page, 'phone-group-roles');
    await members.getByRole('button', { name: '设为管理员: Desk Dora' }).click();
    await members.locator(`.member[data-user="${d}"][data-role="admin"]`).waitFor();
    await members.getByRole('button', { name: '取消管理员: Desk Dora' }).waitFor();
  } finally {
    await phone.close();
    await desk.close();
  }
});
