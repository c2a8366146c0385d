// The IM layer through the official CometD client: two people sign up over REST, become friends,
// chat both ways with remoteCall('im/send') and catch up with remoteCall('im/sync'), over each
// transport. The server runs with its production defaults (no anonymous sessions, no open
// channels), only with cheap password hashing so that registering is fast.
import { describe, test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startParley } from '../node-harness/parley-server.mjs';
import { TRANSPORTS, ClientPool, handshake, subscribe, remoteCall, waitFor, within } from './support.mjs';

let server;
let pool;
before(async () => { server = await startParley(['--Im:PasswordMemoryKiB=1024', '--Im:PasswordIterations=1']); });
after(async () => { await server?.stop(); });
beforeEach(() => { pool = new ClientPool(server.url); });
afterEach(async () => { await pool.closeAll(); });

/** One REST call; resolves with the status and the parsed JSON body (null when there is none). */
async function api(method, path, { body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

let people = 0;
/** Registers a fresh account; usernames are unique per run and per test. */
async function register(name) {
  people += 1;
  const username = `${name}-${process.pid}-${people}`;
  const { status, json } = await api('POST', '/api/auth/register', { body: { username, password: 'correct horse battery', displayName: `${name} 测试` } });
  assert.equal(status, 201, `register ${username}: ${JSON.stringify(json)}`);
  assert.equal(typeof json.userId, 'string');
  assert.equal(typeof json.token, 'string');
  return { username, userId: json.userId, token: json.token };
}

/** A signed-in CometD client subscribed to its own /user channel; `events` collects what arrives there. */
async function signIn(person, transport) {
  const client = pool.cometd(transport, { label: `${person.username}(${transport})` });
  const reply = await handshake(client, { ext: { auth: { token: person.token } } });
  assert.equal(client.getTransport().type, transport);
  const events = [];
  await subscribe(client, `/user/${person.userId}`, (message) => events.push(message.data));
  return { client, events, clientId: reply.clientId };
}

const directConv = (a, b) => (a < b ? `d-${a}-${b}` : `d-${b}-${a}`);

/** The first event matching predicate, waited for. */
function nextEvent(who, predicate, what) {
  return waitFor(() => who.events.find(predicate), 10_000, `${who.client.label}: ${what}`, who.client);
}

/** A remoteCall whose result must be {ok:true,…}; resolves with that result. */
async function call(who, service, data) {
  const reply = await remoteCall(who.client, service, data);
  assert.equal(reply.successful, true, JSON.stringify(reply));
  assert.equal(reply.channel, `/service/${service}`);
  assert.equal(reply.data?.ok, true, `${service} result: ${JSON.stringify(reply.data)}`);
  return reply.data;
}

function assertMessage(event, { conv, seq, id, from, body, clientMsgId, ts }) {
  assert.equal(event.type, 'message');
  assert.equal(event.conv, conv);
  assert.equal(event.seq, seq);
  assert.equal(event.id, id);
  assert.equal(event.from, from);
  assert.equal(event.body, body);
  assert.equal(event.kind, 'text');
  assert.equal(event.ts, ts);
  assert.equal(event.clientMsgId, clientMsgId);
}

for (const transport of TRANSPORTS) {
  describe(`IM over CometD ${transport}`, () => {
    test('two people befriend each other, chat both ways in Chinese and emoji, and sync finds nothing new', async () => {
      const aliceAccount = await register('alice');
      const bobAccount = await register('bob');
      const alice = await signIn(aliceAccount, transport);
      const bob = await signIn(bobAccount, transport);

      // Friend request by username; bob hears of it on /user/{bob}.
      const request = await api('POST', '/api/friends/requests', { token: aliceAccount.token, body: { to: bobAccount.username, note: '我是爱丽丝 🌸' } });
      assert.equal(request.status, 201, JSON.stringify(request.json));
      assert.equal(typeof request.json.id, 'string');
      const asked = await nextEvent(bob, (e) => e.type === 'friend-request', 'the friend-request event');
      assert.equal(asked.id, request.json.id);
      assert.equal(asked.from, aliceAccount.userId);
      assert.equal(asked.fromUsername, aliceAccount.username);
      assert.equal(asked.note, '我是爱丽丝 🌸');

      const accepted = await api('POST', `/api/friends/requests/${asked.id}/accept`, { token: bobAccount.token });
      assert.equal(accepted.status, 204, JSON.stringify(accepted.json));
      const welcome = await nextEvent(alice, (e) => e.type === 'friend-accepted', 'the friend-accepted event');
      assert.equal(welcome.requestId, request.json.id);
      assert.equal(welcome.user, bobAccount.userId);
      assert.equal(welcome.username, bobAccount.username);

      const conv = directConv(aliceAccount.userId, bobAccount.userId);

      // alice → bob
      const hello = { to: bobAccount.userId, body: '你好，鲍勃！今天吃了吗？😀🎉👩‍👩‍👧‍👦', clientMsgId: `a-${transport}-1` };
      const sent1 = await call(alice, 'im/send', hello);
      assert.equal(sent1.conv, conv);
      assert.equal(sent1.seq, 1);
      assert.equal(typeof sent1.id, 'string');
      assert.equal(typeof sent1.ts, 'number');
      const got1 = await nextEvent(bob, (e) => e.type === 'message' && e.seq === 1, 'alice\'s message');
      assertMessage(got1, { conv, seq: 1, id: sent1.id, from: aliceAccount.userId, body: hello.body, clientMsgId: hello.clientMsgId, ts: sent1.ts });

      // bob → alice
      const reply = { to: aliceAccount.userId, body: '吃了，谢谢！𠜎 🇨🇭 "quoted" \\ back', clientMsgId: `b-${transport}-1` };
      const sent2 = await call(bob, 'im/send', reply);
      assert.equal(sent2.conv, conv);
      assert.equal(sent2.seq, 2);
      const got2 = await nextEvent(alice, (e) => e.type === 'message' && e.seq === 2, 'bob\'s message');
      assertMessage(got2, { conv, seq: 2, id: sent2.id, from: bobAccount.userId, body: reply.body, clientMsgId: reply.clientMsgId, ts: sent2.ts });

      // Each side also hears its own message (its other tabs would show it).
      await nextEvent(alice, (e) => e.type === 'message' && e.seq === 1, 'alice\'s own message');
      await nextEvent(bob, (e) => e.type === 'message' && e.seq === 2, 'bob\'s own message');

      // A retry with the same clientMsgId returns the first result and sends nothing again.
      const retry = await call(alice, 'im/send', hello);
      assert.deepEqual(retry, sent1);

      // bob is up to date: sync after his cursors is empty.
      const upToDate = await call(bob, 'im/sync', { cursors: { [conv]: 2 } });
      assert.deepEqual(upToDate.messages, []);
      assert.equal(upToDate.more, false);

      // From an older cursor, sync returns what came after it, oldest first, with bodies intact.
      const fromStart = await call(bob, 'im/sync', { cursors: { [conv]: 0 } });
      assert.deepEqual(fromStart.messages.map((m) => [m.conv, m.seq, m.body]), [[conv, 1, hello.body], [conv, 2, reply.body]]);

      // Exactly one delivery per message, however the retry went.
      assert.equal(bob.events.filter((e) => e.type === 'message' && e.seq === 1).length, 1);
      assert.equal(alice.events.filter((e) => e.type === 'message').length, 2);
    });

    test('a handshake with a wrong token is refused with 401::invalid_token', async () => {
      for (const token of ['x'.repeat(43), 'not-a-token']) {
        const client = pool.cometd(transport);
        const reply = await within(new Promise((resolve) => client.handshake({ ext: { auth: { token } } }, resolve)),
          15_000, 'the refused handshake', client);
        assert.equal(reply.successful, false, JSON.stringify(reply));
        assert.equal(reply.error, '401::invalid_token', JSON.stringify(reply));
      }
    });
  });
}
