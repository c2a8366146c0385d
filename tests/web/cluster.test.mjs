// The chat app through nginx in front of a three-node cluster (scripts/cluster.sh: PostgreSQL,
// Redis, three nodes), on ports of its own: two people whose pages live on different nodes chat,
// then the node of one of them is killed mid-conversation — the page reconnects through nginx to
// another node and every message is shown exactly once on both sides.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test, before, after } from 'node:test';
import {
  launchBrowser, openPerson, uniqueName, register, befriend, openFriend, send, expectMessage, bubbles,
  eventually, waitConnected, screenshot,
} from './support.mjs';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = {
  ...process.env,
  PARLEY_CLUSTER_DIR: '/tmp/parley-cluster-web-tests',
  PARLEY_CLUSTER_PORT: '28090',
  PARLEY_CLUSTER_NODE_PORT: '28191',
  PARLEY_PG_PORT: '25435',
  PARLEY_PG_DIR: '/tmp/parley-cluster-web-tests/postgres',
  PARLEY_REDIS_PORT: '26383',
  PARLEY_REDIS_DIR: '/tmp/parley-cluster-web-tests/redis',
  PARLEY_NODE_ARGS: '--Im:PasswordMemoryKiB=1024 --Im:PasswordIterations=1 --Bayeux:MaxInterval=5000 --Logging:LogLevel:Default=Warning',
};
const balancer = 'http://127.0.0.1:28090';
const cluster = (...args) => run('bash', ['scripts/cluster.sh', ...args], { cwd: repo, env, timeout: 300_000 });

let browser;
before(async () => {
  await cluster('down');
  await run('rm', ['-rf', env.PARLEY_CLUSTER_DIR]);
  await cluster('up', '3');
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await cluster('down');
});

/** The node serving a page: nginx routes by the page's parley_lb cookie, and every answer names its node. */
async function nodeOf(page) {
  return page.evaluate(async () => (await fetch('/health/live', { cache: 'no-store' })).headers.get('Parley-Node'));
}

/** Opens people until one lands on a node other than `taken` (each browser context gets its own cookie). */
async function openOnAnotherNode(taken) {
  for (let i = 0; i < 12; i++) {
    const person = await openPerson(browser, balancer);
    if ((await nodeOf(person.page)) !== taken) return person;
    await person.close();
  }
  throw new Error(`every page landed on ${taken}`);
}

/** Messages `first`…`last`, written in turns (each stored before the next is typed); both pages end up showing the last. */
async function takeTurns(alice, bob, first, last, expected) {
  for (let i = first; i <= last; i++) {
    const who = i % 2 ? alice : bob;
    const text = `跨节点 ${i} 🌐`;
    await send(who.page, text);
    expected.push(text);
    await expectMessage(who.page, text);
  }
  await expectMessage(alice.page, `跨节点 ${last} 🌐`);
  await expectMessage(bob.page, `跨节点 ${last} 🌐`);
}

test('two people on different nodes chat through nginx, and a killed node loses and repeats nothing', async () => {
  const alice = await openPerson(browser, balancer);
  const aliceNode = await nodeOf(alice.page);
  const bob = await openOnAnotherNode(aliceNode);
  try {
    assert.notEqual(await nodeOf(bob.page), aliceNode);
    const a = uniqueName('ca');
    const b = uniqueName('cb');
    await register(alice.page, a, 'Cluster A');
    await register(bob.page, b, 'Cluster B');
    await befriend(alice.page, bob.page, b, 'Cluster A');
    await openFriend(alice.page, b);
    await openFriend(bob.page, a);

    const expected = [];
    await takeTurns(alice, bob, 1, 4, expected);
    await screenshot(alice.page, 'cluster-chat');

    // Alice's node dies without a word; nginx sends her page elsewhere.
    await cluster('kill', aliceNode.replace('node', ''));
    await alice.page.locator('.banner.reconnecting, .banner.offline').waitFor();
    await send(alice.page, 'written while my node was dead');
    expected.push('written while my node was dead');
    await waitConnected(alice.page, 60_000);
    assert.notEqual(await nodeOf(alice.page), aliceNode);
    await expectMessage(bob.page, 'written while my node was dead', 60_000);

    await takeTurns(alice, bob, 5, 8, expected);
    for (const person of [alice, bob]) {
      await eventually(async () => (await person.page.locator('.msg.pending').count()) === 0, { message: 'nothing pending' });
      assert.deepEqual(await bubbles(person.page), expected);
    }
  } finally {
    await alice.close();
    await bob.close();
    await cluster('start', aliceNode.replace('node', '')).catch(() => {});
  }
});
