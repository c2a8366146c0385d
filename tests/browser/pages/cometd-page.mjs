// Drives the official cometd client. Query parameters:
//   server    the Bayeux endpoint, e.g. http://127.0.0.1:5000/cometd
//   transport websocket | long-polling | callback-polling: every transport before it in
//             cometd's preference order is unregistered, so this one is the only choice
//   channel   the broadcast channel to subscribe and publish to
// The test reads and drives the client through window.parley.
import { CometD } from 'cometd';

const params = new URLSearchParams(location.search);
const server = params.get('server');
const wanted = params.get('transport');
const channel = params.get('channel');

const preference = ['websocket', 'long-polling', 'callback-polling'];

const state = {
  status: 'starting',
  failure: null,
  transport: null,
  transportExceptions: [],
  received: [],
  publishReplies: [],
  // The advice of every /meta/connect reply (the server's word on how to poll).
  connectAdvice: [],
  log: [],
};

function show() {
  document.getElementById('status').textContent = state.failure ? `${state.status}: ${state.failure}` : state.status;
  document.getElementById('transport').textContent = state.transport ?? '–';
}

function log(line) {
  state.log.push(line);
  const li = document.createElement('li');
  li.textContent = line;
  document.getElementById('log').append(li);
}

function fail(what, message) {
  state.status = 'failed';
  state.failure = `${what}: ${JSON.stringify(message)}`;
  log(state.failure);
  show();
}

const cometd = new CometD();
cometd.onTransportException = (failure, oldType, newType) => {
  state.transportExceptions.push({ oldType, newType, failure: String(failure?.reason ?? failure?.exception ?? '') });
  log(`transport exception ${oldType} -> ${newType}`);
};
for (const type of preference.slice(0, preference.indexOf(wanted))) {
  cometd.unregisterTransport(type);
}
cometd.configure({ url: server, logLevel: 'warn' });

cometd.addListener('/meta/connect', (message) => {
  if (state.connectAdvice.length < 200) state.connectAdvice.push(message.advice ?? null);
});
for (const meta of ['/meta/handshake', '/meta/connect', '/meta/subscribe', '/meta/disconnect']) {
  cometd.addListener(meta, (message) => {
    if (meta !== '/meta/connect' || !message.successful) log(`${meta} ${JSON.stringify(message)}`);
  });
}

state.status = 'handshaking';
show();
cometd.handshake((handshake) => {
  if (!handshake.successful) return fail('handshake', handshake);
  state.transport = cometd.getTransport().type;
  state.status = 'subscribing';
  show();
  cometd.subscribe(channel, (message) => {
    state.received.push(message);
    const li = document.createElement('li');
    li.textContent = JSON.stringify(message);
    document.getElementById('received').append(li);
  }, (subscribe) => {
    if (!subscribe.successful) return fail('subscribe', subscribe);
    state.transport = cometd.getTransport().type;
    state.status = 'subscribed';
    show();
  });
});

window.parley = {
  state,
  // The transport in use right now, read from the client rather than from what we asked for.
  transport: () => cometd.getTransport()?.type ?? null,
  clientId: () => cometd.getClientId(),
  publish: (data) => {
    cometd.publish(channel, data, (reply) => state.publishReplies.push(reply));
  },
  disconnect: () => new Promise((resolve) => cometd.disconnect((reply) => resolve(reply))),
};
