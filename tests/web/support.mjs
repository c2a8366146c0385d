// Shared setup for the web client's browser tests: a real Parley (on a fixed port and data
// directory, so a test can stop it and start it again where it was), Debian's Chromium, and
// the steps a person takes in the app, written once.
import fs from 'node:fs';
import net from 'node:net';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { startParley } from '../node-harness/parley-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
// Every run saves its screenshots here (ignored by git); the best are copied to docs/screenshots by hand.
export const screenshotDir = path.join(repo, 'tests', 'web', 'screenshots');
export const TIMEOUT = 20_000;
const PASSWORD = 'correct horse battery';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts Parley on a port and data directory of our own (the command line's last value of a
 * setting wins over the harness's defaults), so restart() brings back the same server.
 */
export async function startServer(extraArgs = []) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-web-'));
  const port = await freePort();
  const args = [
    `--urls=http://127.0.0.1:${port}`,
    `--Parley:DataDirectory=${dataDir}`,
    '--Im:PasswordMemoryKiB=1024',
    '--Im:PasswordIterations=1',
    '--Bayeux:MaxInterval=5000',
    ...extraArgs,
  ];
  let current = await startParley(args);
  const server = {
    url: `http://127.0.0.1:${port}`,
    output: () => current.output(),
    async restart() {
      await current.stop();
      current = await startParley(args);
    },
    async stopOnly() {
      await current.stop();
    },
    async startAgain() {
      current = await startParley(args);
    },
    async stop() {
      await current.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return server;
}

/**
 * One server and one browser for a test file: started before its tests, stopped after them.
 * `ready(server, browser)` hands them to the file.
 */
export function useServerAndBrowser(ready, extraArgs = []) {
  let server;
  let browser;
  before(async () => {
    server = await startServer(extraArgs);
    browser = await launchBrowser();
    ready(server, browser);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * The same Chromium, headless, but started by us and attached over CDP without Playwright's
 * default overrides. Playwright's focus emulation holds every page it sets up as "visible", and
 * Chromium only freezes hidden pages, so a test that freezes a tab needs a browser like this one.
 * Its default context is the only one; close() ends the process and its profile.
 */
export async function launchBareBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-chromium-'));
  const child = spawn('/usr/bin/chromium', ['--headless', ...CHROMIUM_ARGS, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const endpoint = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start:\n${out}`)), TIMEOUT);
    child.stderr.on('data', (d) => {
      out += d;
      const m = out.match(/DevTools listening on (ws:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`Chromium exited with ${code}:\n${out}`)); });
  });
  const browser = await chromium.connectOverCDP(endpoint, { noDefaults: true });
  return {
    browser,
    context: browser.contexts()[0],
    async close() {
      await browser.close().catch(() => undefined);
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid, 'SIGTERM'); // the wrapper script and the browser it started
        await exited;
      }
      fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}

/** A person: a browser context of their own (cookie jar) and a page that records what went wrong. */
export async function openPerson(browser, baseUrl, { query = '', viewport = { width: 1200, height: 800 }, locale = 'en-US', permissions = [], initScript = null } = {}) {
  const context = await browser.newContext({ viewport, locale, deviceScaleFactor: 1 });
  if (permissions.length) await context.grantPermissions(permissions, { origin: baseUrl });
  if (initScript) await context.addInitScript(initScript);
  const log = [];
  const page = await openPage(context, baseUrl, query, log);
  return { context, page, log, close: () => context.close() };
}

/** A page of its own in a given context, recording what went wrong into log. */
export async function openPage(context, baseUrl, query = '', log = []) {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log.push(`[${m.type()}] ${m.text()}`);
  });
  page.on('pageerror', (e) => log.push(`[pageerror] ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) log.push(`[http ${r.status()}] ${r.request().method()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => log.push(`[failed] ${r.method()} ${r.url()}: ${r.failure()?.errorText}`));
  page.parleyLog = log;
  page.on('dialog', (d) => d.accept());
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(`${baseUrl}/${query}`);
  return page;
}

/** Another tab of the same person: a second page in the same browser context (same cookies). */
export async function openTab(person, baseUrl, { query = '' } = {}) {
  return openPage(person.context, baseUrl, query, person.log);
}

let counter = 0;
export function uniqueName(prefix) {
  counter++;
  return `${prefix}${Date.now().toString(36).slice(-5)}${counter}`;
}

export async function register(page, username, displayName) {
  await page.getByRole('button', { name: /Create an account|注册账号/ }).click();
  await page.locator('#auth-username').fill(username);
  await page.locator('#auth-display').fill(displayName);
  await page.locator('#auth-password').fill(PASSWORD);
  await page.locator('form.auth-form button[type=submit]').click();
  await waitConnected(page);
}

export async function signIn(page, username) {
  await page.locator('#auth-username').fill(username);
  await page.locator('#auth-password').fill(PASSWORD);
  await page.locator('form.auth-form button[type=submit]').click();
  await waitConnected(page);
}

export async function waitConnected(page, timeout = TIMEOUT) {
  await page.locator('#link-chip[data-state="connected"]').waitFor({ timeout });
}

export async function transportOf(page) {
  return page.locator('#link-chip').getAttribute('data-transport');
}

export async function tab(page, name) {
  await page.locator(`#tab-${name}`).click();
}

/** What a page shows and what it logged, for a failure message. */
export async function describePage(page) {
  const state = await page.evaluate(() => {
    const chip = document.querySelector('#link-chip');
    return {
      url: location.href,
      link: chip ? `${chip.dataset.state} ${chip.dataset.transport ?? ''}` : 'none',
      toast: document.querySelector('.toast')?.textContent ?? '',
      text: document.body.innerText.replace(/\s+/g, ' ').slice(0, 1500),
    };
  }).catch((e) => ({ error: e.message }));
  return `${JSON.stringify(state)}\n${(page.parleyLog ?? []).slice(-30).join('\n')}`;
}

/** Runs steps; when they fail, the error also tells what each of the named pages showed then. */
export async function explained(pages, steps) {
  try {
    return await steps();
  } catch (e) {
    const views = await Promise.all(Object.entries(pages).map(async ([name, page]) => `--- ${name}: ${await describePage(page)}`));
    e.message += `\n${views.join('\n')}`;
    throw e;
  }
}

/** a finds b by username and asks; b accepts. Both end up seeing each other as friends. */
export async function befriend(a, b, bUsername, aDisplayName) {
  await explained({ asker: a, accepter: b }, () => befriendSteps(a, b, bUsername, aDisplayName));
}

async function befriendSteps(a, b, bUsername, aDisplayName) {
  await tab(a, 'contacts');
  await a.locator('#people-search').fill(bUsername);
  await a.locator('form.search button[type=submit]').click();
  await a.locator('.results .item').filter({ hasText: `@${bUsername}` }).getByRole('button', { name: /Add|添加/ }).click();
  await a.locator('.results .item').filter({ hasText: `@${bUsername}` }).locator('.tag').waitFor();
  await tab(b, 'contacts');
  await b.locator('.request').filter({ hasText: aDisplayName }).getByRole('button', { name: /Accept|接受/ }).click();
  await b.locator(`.friend`).filter({ hasText: aDisplayName }).waitFor();
  await a.locator(`.friend[data-user="${bUsername}"]`).waitFor();
}

export async function openFriend(page, username) {
  await tab(page, 'contacts');
  await page.locator(`.friend[data-user="${username}"]`).click();
  await page.locator('#composer-input').waitFor();
}

export async function openChatWith(page, title) {
  await tab(page, 'chats');
  await page.locator('.conv').filter({ hasText: title }).first().click();
  await page.locator('#composer-input').waitFor();
}

export async function send(page, text) {
  await page.locator('#composer-input').fill(text);
  await page.locator('#composer-input').press('Enter');
}

/** Waits until the open conversation shows a delivered message bubble with exactly this text. */
export async function expectMessage(page, text, timeout = TIMEOUT) {
  await explained({ page }, () => page.locator('.msg:not(.pending) .bubble .text').filter({ hasText: text }).first().waitFor({ timeout }));
}

/** Every text bubble of the open conversation, in order. */
export async function bubbles(page) {
  return page.locator('.msg:not(.pending) .bubble .text').allTextContents();
}

/** Answers the app's own confirmation dialog (not a native confirm()) after checking its question. */
export async function confirmInApp(page, question) {
  const dialog = page.locator('#confirm-dialog');
  if (question) await dialog.locator('#confirm-text').filter({ hasText: question }).waitFor();
  else await dialog.waitFor();
  await dialog.locator('#confirm-ok').click();
  await dialog.waitFor({ state: 'detached' });
}

/**
 * What sticks out sideways: the page wider than the window, or elements inside `selector` (a
 * dialog, say) reaching past its edges or past the window. [] when everything fits.
 */
export async function sidewaysOverflow(page, selector = 'body') {
  return page.evaluate((sel) => {
    const problems = [];
    const page = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth;
    if (page > 0) problems.push(`page +${page}px`);
    const box = document.querySelector(sel);
    if (!box) return [`${sel} missing`];
    const outer = box.getBoundingClientRect();
    if (outer.left < 0 || outer.right > window.innerWidth + 0.5) problems.push(`${sel} ${outer.left}..${outer.right}`);
    if (box.scrollWidth > box.clientWidth + 1) problems.push(`${sel} scrolls sideways`);
    for (const el of box.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (!r.width || getComputedStyle(el).position === 'absolute') continue;
      if (r.right > outer.right + 0.5 || r.left < outer.left - 0.5) problems.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return problems;
  }, selector);
}

export async function screenshot(page, name) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

/** Polls fn until it returns a truthy value, or fails after the deadline. */
export async function eventually(fn, { timeout = TIMEOUT, interval = 100, message = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  throw new Error(`timed out waiting for ${message}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}

/** Checks that fn stays truthy for a whole period (polling), failing as soon as it does not. */
export async function holds(fn, { period, interval = 100, message = 'condition' }) {
  const end = Date.now() + period;
  while (Date.now() < end) {
    const value = await fn();
    if (!value) throw new Error(`${message} stopped holding`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
