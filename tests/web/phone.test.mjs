// A 360 px phone: one pane at a time with back navigation; and the app in Chinese.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  useServerAndBrowser, openPerson, uniqueName, register, befriend, openFriend, send, expectMessage, screenshot, tab,
} from './support.mjs';

let server;
let browser;
useServerAndBrowser((s, b) => { server = s; browser = b; });

test('on a 360 px phone the list and the chat take turns, with back navigation', async () => {
  const phone = await openPerson(browser, server.url, { viewport: { width: 360, height: 740 } });
  const desk = await openPerson(browser, server.url);
  try {
    const p = uniqueName('phone');
    const d = uniqueName('desk');
    await register(phone.page, p, 'Pat Phone');
    await register(desk.page, d, 'Dana Desk');
    await befriend(desk.page, phone.page, p, 'Dana Desk');
    await screenshot(phone.page, 'phone-contacts');

    // Nothing overflows sideways.
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);

    await openFriend(phone.page, d);
    assert.equal(await phone.page.locator('.sidebar').isVisible(), false);
    await send(phone.page, 'Sent from my phone 📱');
    await openFriend(desk.page, p);
    await expectMessage(desk.page, 'Sent from my phone 📱');
    await send(desk.page, 'Got it, 收到');
    await expectMessage(phone.page, 'Got it, 收到');
    await screenshot(phone.page, 'phone-chat');

    const back = phone.page.getByRole('button', { name: 'Back' });
    await back.click();
    await phone.page.locator('.sidebar').waitFor({ state: 'visible' });
    assert.equal(await phone.page.locator('.pane').isVisible(), false);
    // The browser's back button also leaves the chat.
    await tab(phone.page, 'chats');
    await phone.page.locator('.conv').first().click();
    await phone.page.locator('#composer-input').waitFor();
    await phone.page.goBack();
    await phone.page.locator('.sidebar').waitFor({ state: 'visible' });
    await screenshot(phone.page, 'phone-chats');
  } finally {
    await phone.close();
    await desk.close();
  }
});

test('a browser in Chinese gets the app in Chinese; the settings switch it and show the badge snippet', async () => {
  const zh = await openPerson(browser, server.url, { locale: 'zh-CN' });
  try {
    await zh.page.getByRole('button', { name: '新用户？注册账号' }).waitFor();
    await screenshot(zh.page, 'sign-in-zh');
    const name = uniqueName('zh');
    await register(zh.page, name, '张伟');
    await zh.page.locator('#tab-contacts').filter({ hasText: '联系人' }).waitFor();
    await zh.page.locator('#link-chip').filter({ hasText: '已连接' }).waitFor();

    await zh.page.getByRole('button', { name: '设置' }).click();
    await zh.page.locator('#set-badge').check();
    const snippet = zh.page.locator('#badge-snippet');
    await snippet.waitFor();
    assert.match(await snippet.inputValue(), new RegExp(`/api/presence/${name}\\.svg`));
    // The preview gets its src once the setting is saved; then the browser must render the SVG.
    await zh.page.waitForFunction(() => {
      const img = document.querySelector('.badge-preview');
      return img?.getAttribute('src') && img.complete && img.naturalWidth > 0;
    }, null, { timeout: 10_000 });
    await screenshot(zh.page, 'settings-zh');
    // The public badge answers for this user now.
    const svg = await zh.page.evaluate(async (u) => (await fetch(`/api/presence/${u}.svg`)).text(), name);
    assert.match(svg, /online/);

    await zh.page.locator('#lang-select').selectOption('en');
    await zh.page.locator('#settings-dialog').getByText('Language').waitFor();
    await zh.page.locator('#tab-contacts').filter({ hasText: 'Contacts' }).waitFor();
    await zh.page.locator('#settings-dialog').getByRole('button', { name: 'Close' }).click();
    await zh.page.locator('#presence-select').selectOption('busy');
    await zh.page.locator('.me .dot.busy').waitFor();
  } finally {
    await zh.close();
  }
});
