// The Bayeux side: the official cometd client with its ack and reload extensions, transports in
// the order websocket → long-polling → callback-polling (or one forced by ?transport=…).
//
// WebSocket fallback. The cometd client keeps a transport that once worked ("sticky reconnect"),
// which is right across a server restart but wrong when something in the way starts refusing
// WebSocket upgrades (a proxy, a server at its upgrade limit answering 503): the page would retry
// WebSocket for ever. So: after WS_FAILURES consecutive failures on WebSocket, this page checks
// whether plain HTTP still reaches the server and a WebSocket still opens. HTTP up while WebSocket
// does not (or HTTP up after WS_FAILURES_ANYWAY failures in a row) means WebSocket is what is broken:
// the page turns WebSocket off and handshakes again on long-polling — a new session, so it
// subscribes and syncs, and the (conv, seq) merge keeps every message exactly once. A server
// restart fails HTTP too, so it never demotes a page. A page on long-polling while WebSocket is
// allowed (demoted here, or fallen back by cometd at start-up) tries a bare WebSocket every
// retry period (a minute) and, once one opens, switches back the same way; a promotion that does
// not hold doubles the period.

import { AckExtension, CometD, ReloadExtension, type Message } from 'cometd';

export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'kicked' | 'denied' | 'stopped';

export class ServiceError extends Error {
  constructor(readonly code: string, message: string, readonly transient: boolean) {
    super(message);
  }
}

export interface ConnectionHooks {
  /** Subscriptions are in place after a (re)handshake: time to sync. */
  ready(): void;
  /** An event on /user/{me} or /group/{id}. */
  event(data: any, channel: string): void;
  state(state: LinkState): void;
}

const ALL_TRANSPORTS = ['websocket', 'long-polling', 'callback-polling'];
const WS_FAILURES = 3;
const WS_FAILURES_ANYWAY = 9;
const PROBE_TIMEOUT = 5000;
const DEFAULT_RETRY_MS = 60_000;
const MAX_RETRY_MS = 30 * 60_000;

/** Whether a plain HTTP request reaches the server and gets a 2xx answer. */
async function httpWorks(): Promise<boolean> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), PROBE_TIMEOUT);
  try {
    const response = await fetch(new URL('/health/live', location.href).href, { cache: 'no-store', credentials: 'omit', signal: abort.signal });
    return response.ok;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a WebSocket to url opens (it is closed again at once; it never speaks Bayeux). */
function websocketOpens(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url.replace(/^http/, 'ws'));
    } catch {
      resolve(false);
      return;
    }
    const done = (opened: boolean) => {
      clearTimeout(timer);
      socket.onopen = socket.onerror = socket.onclose = null;
      try {
        socket.close(1000);
      } catch {
        /* already closed */
      }
      resolve(opened);
    };
    const timer = setTimeout(() => done(false), PROBE_TIMEOUT);
    socket.onopen = () => done(true);
    socket.onerror = () => done(false);
    socket.onclose = () => done(false);
  });
}

function retryPeriod(): number {
  // Tests shorten the period; people never need to.
  const configured = Number(localStorage.getItem('parley.wsRetryMs'));
  return configured > 0 ? configured : DEFAULT_RETRY_MS;
}

export class Connection {
  readonly cometd = new CometD();
  private readonly channels = new Set<string>();
  private handles = new Map<string, unknown>();
  private linkState: LinkState = 'connecting';
  private connected = false;
  private stopped = false;
  private kicked = false;
  private generation = 0;
  private readonly url = new URL('/cometd', location.href).href;
  /** WebSocket is registered: the fallback policy applies (not when a transport is forced). */
  private readonly websocketAllowed: boolean;
  /** Consecutive failed handshakes and connects on WebSocket. */
  private wsFailures = 0;
  private probing = false;
  /** WebSocket turned off by the policy (or never reached); a retry is scheduled. */
  private demoted = false;
  /** A deliberate re-handshake on another transport is under way (disconnect, then handshake). */
  private switching = false;
  private retryTimer: number | undefined;
  private retryMs = 0;
  private promotedAt = 0;

  constructor(private readonly hooks: ConnectionHooks, forcedTransport: string | null) {
    const cometd = this.cometd;
    if (forcedTransport && ALL_TRANSPORTS.includes(forcedTransport)) {
      for (const type of cometd.getTransportTypes()) if (type !== forcedTransport) cometd.unregisterTransport(type);
    }
    this.websocketAllowed = cometd.getTransportTypes().includes('websocket');
    // A reload state saved under another transport (the page was reopened with a different
    // forced transport) cannot be replayed: the client could not negotiate and would stop.
    try {
      const saved = JSON.parse(sessionStorage.getItem('org.cometd.reload') ?? 'null');
      if (saved?.transportType && !cometd.getTransportTypes().includes(saved.transportType)) sessionStorage.removeItem('org.cometd.reload');
    } catch {
      sessionStorage.removeItem('org.cometd.reload');
    }
    cometd.registerExtension('ack', new AckExtension());
    cometd.registerExtension('reload', new ReloadExtension());
    cometd.configure({
      url: this.url,
      logLevel: 'warn',
      // Come back quickly after a server restart, without hammering it.
      backoffIncrement: 500,
      maxBackoff: 4000,
      maxNetworkDelay: 15000,
      // A WebSocket that has not opened by then counts as a failure (a black hole, not only a refusal).
      connectTimeout: 10000,
    });
    cometd.addListener('/meta/handshake', (m) => this.onHandshake(m));
    cometd.addListener('/meta/connect', (m) => this.onConnect(m));
    cometd.addListener('/meta/unsuccessful', () => this.onFailure());
    cometd.addListener('/meta/disconnect', () => this.onDisconnected());
    addEventListener('offline', () => this.setState('offline'));
    addEventListener('online', () => {
      if (this.linkState === 'offline') this.setState(this.connected ? 'connected' : 'reconnecting');
    });
    // Keeps the session across a reload of the page (the server lets it outlive its connection).
    addEventListener('pagehide', () => {
      if (!this.stopped && !this.kicked) (this.cometd as any).reload?.();
    });
  }

  get state(): LinkState {
    return this.linkState;
  }

  get transport(): string {
    return this.cometd.getTransport()?.type ?? '';
  }

  private token: string | null = null;

  start(token: string | null): void {
    this.stopped = false;
    this.kicked = false;
    this.token = token;
    this.setState('connecting');
    // Without a token (a reloaded page) the HttpOnly cookie signs the handshake in.
    this.cometd.handshake(this.handshakeProps());
  }

  /** "Sign in here" after a kick: a new session, which kicks the other one. */
  restart(): void {
    this.kicked = false;
    if (this.demoted) this.scheduleRetry();
    this.setState('connecting');
    this.cometd.handshake(this.handshakeProps());
  }

  private handshakeProps(): object {
    return this.token ? { ext: { auth: { token: this.token } } } : {};
  }

  stop(): void {
    this.stopped = true;
    this.switching = false;
    clearTimeout(this.retryTimer);
    this.setState('stopped');
    if (!this.cometd.isDisconnected()) this.cometd.disconnect();
  }

  markKicked(): void {
    this.kicked = true;
    this.switching = false;
    clearTimeout(this.retryTimer);
    this.setState('kicked');
    // The server already ends the session with reconnect "none"; this makes sure the client
    // never re-handshakes on its own (which would kick the other window back).
    if (!this.cometd.isDisconnected()) this.cometd.disconnect();
  }

  follow(channel: string): void {
    if (this.channels.has(channel)) return;
    this.channels.add(channel);
    if (this.connected) this.subscribe(channel);
  }

  unfollow(channel: string): void {
    this.channels.delete(channel);
    const handle = this.handles.get(channel);
    this.handles.delete(channel);
    if (handle && !this.cometd.isDisconnected()) this.cometd.unsubscribe(handle as any);
  }

  /** A /service/im/* request; rejects with a ServiceError (transient when the network failed). */
  call<T = any>(service: string, data: object, timeout = 15000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      try {
        this.cometd.remoteCall(`im/${service}`, data, timeout, (reply: Message) => {
          if (!reply.successful) {
            reject(new ServiceError(reply.error ?? 'failed', reply.error ?? 'request failed', true));
          } else if (reply.data?.ok) {
            resolve(reply.data as T);
          } else {
            const error = reply.data?.error ?? {};
            const transient = error.code === 'unavailable' || error.code === 'rate_limited';
            reject(new ServiceError(error.code ?? 'failed', error.message ?? 'request failed', transient));
          }
        });
      } catch (e) {
        reject(new ServiceError('disconnected', String(e), true));
      }
    });
  }

  private onHandshake(m: Message): void {
    if (this.stopped) return;
    this.countTransport(m);
    if (!m.successful) {
      this.connected = false;
      const error = String(m.error ?? '');
      if (error.startsWith('401') || error.startsWith('403')) {
        this.setState('denied');
        return;
      }
      this.setState(navigator.onLine === false ? 'offline' : 'reconnecting');
      return;
    }
    // A new (or replayed) session: its subscriptions must be made again, then a sync fills the gap.
    const generation = ++this.generation;
    this.handles = new Map();
    this.connected = true;
    if (this.websocketAllowed && this.transport !== 'websocket' && !this.demoted) {
      // cometd fell back by itself (WebSocket never opened here, or a promotion did not take):
      // try it again later all the same.
      this.demoted = true;
      this.cometd.websocketEnabled = false;
      this.backOff();
      this.scheduleRetry();
    }
    const subscriptions = [...this.channels].map((channel) => this.subscribe(channel));
    Promise.all(subscriptions).then(() => {
      if (generation !== this.generation || this.stopped) return;
      this.setState('connected');
      this.hooks.ready();
    });
  }

  private subscribe(channel: string): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          resolve();
        }
      };
      const handle = this.cometd.subscribe(channel, (m: Message) => this.hooks.event(m.data, m.channel), (reply: Message) => {
        if (!reply.successful) console.warn('subscribe failed', channel, reply.error);
        finish();
      });
      this.handles.set(channel, handle);
      setTimeout(finish, 10000);
    });
  }

  private onConnect(m: Message): void {
    if (this.stopped || this.kicked || this.cometd.isDisconnected()) {
      this.connected = false;
      return;
    }
    this.countTransport(m);
    const was = this.connected;
    this.connected = m.successful === true;
    if (this.connected && !was) {
      // Reconnected to the same session (no handshake): nothing was lost, but sync anyway in case.
      this.setState('connected');
      this.hooks.ready();
    } else if (!this.connected && was) {
      this.setState(navigator.onLine === false ? 'offline' : 'reconnecting');
    } else if (this.connected && this.linkState !== 'connected' && this.linkState !== 'connecting') {
      this.setState('connected');
    }
  }

  private onFailure(): void {
    if (this.stopped || this.kicked) return;
    if (!this.connected) this.setState(navigator.onLine === false ? 'offline' : 'reconnecting');
  }

  // ---- the WebSocket fallback policy (see the top of this file) --------------------------------

  private countTransport(m: Message): void {
    if (!this.websocketAllowed || this.transport !== 'websocket') return;
    if (m.successful) {
      this.wsFailures = 0;
      return;
    }
    // Only failures of the transport count (no answer at all), not a refusal by the server.
    if (!(m as any).failure) return;
    this.wsFailures++;
    if (this.wsFailures >= WS_FAILURES) void this.probe();
  }

  private async probe(): Promise<void> {
    if (this.probing || this.demoted || this.switching || this.stopped || this.kicked) return;
    this.probing = true;
    try {
      const [http, websocket] = await Promise.all([httpWorks(), websocketOpens(this.url)]);
      if (this.demoted || this.switching || this.stopped || this.kicked || this.transport !== 'websocket' || this.wsFailures < WS_FAILURES) return;
      if (http && (!websocket || this.wsFailures >= WS_FAILURES_ANYWAY)) this.demote();
    } finally {
      this.probing = false;
    }
  }

  private demote(): void {
    console.info(`WebSocket failed ${this.wsFailures} times while HTTP works: switching to long-polling`);
    this.demoted = true;
    this.wsFailures = 0;
    this.cometd.websocketEnabled = false;
    this.backOff();
    this.rehandshake();
    this.scheduleRetry();
  }

  /** The first demotion, or one long after a promotion, waits one period; a promotion that did not hold doubles it. */
  private backOff(): void {
    const held = !this.promotedAt || Date.now() - this.promotedAt > 10 * retryPeriod();
    this.retryMs = held || !this.retryMs ? retryPeriod() : Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private scheduleRetry(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => void this.retryWebsocket(), this.retryMs || retryPeriod());
  }

  private async retryWebsocket(): Promise<void> {
    if (!this.demoted || this.stopped || this.kicked) return;
    if (!(await websocketOpens(this.url))) {
      this.scheduleRetry();
      return;
    }
    if (!this.demoted || this.stopped || this.kicked) return;
    console.info('WebSocket opens again: switching back to it');
    this.demoted = false;
    this.wsFailures = 0;
    this.promotedAt = Date.now();
    this.cometd.websocketEnabled = true;
    // Not connected now: the next handshake negotiates WebSocket by itself.
    if (this.linkState === 'connected' && this.transport !== 'websocket') this.rehandshake();
  }

  /**
   * A new session on the transports now enabled: the client cannot change transport inside a
   * session. The disconnect goes over the old transport (or fails on it); either way the client
   * ends up disconnected and onDisconnected handshakes again.
   */
  private rehandshake(): void {
    this.switching = true;
    this.connected = false;
    this.setState(navigator.onLine === false ? 'offline' : 'reconnecting');
    if (this.cometd.isDisconnected()) this.onDisconnected();
    else this.cometd.disconnect();
  }

  private onDisconnected(): void {
    if (!this.switching) return;
    // Let the client finish its own bookkeeping before it is asked to handshake again.
    setTimeout(() => {
      if (!this.switching) return;
      this.switching = false;
      if (this.stopped || this.kicked || !this.cometd.isDisconnected()) return;
      this.cometd.handshake(this.handshakeProps());
    }, 0);
  }

  private setState(state: LinkState): void {
    if (this.linkState === state) {
      this.hooks.state(state); // transport may have changed
      return;
    }
    this.linkState = state;
    this.hooks.state(state);
  }
}
