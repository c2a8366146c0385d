// The Bayeux side: the official cometd client with its ack and reload extensions, transports in
// the order websocket → long-polling → callback-polling (or one forced by ?transport=…).

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

export class Connection {
  readonly cometd = new CometD();
  private readonly channels = new Set<string>();
  private handles = new Map<string, unknown>();
  private linkState: LinkState = 'connecting';
  private connected = false;
  private stopped = false;
  private kicked = false;
  private generation = 0;

  constructor(private readonly hooks: ConnectionHooks, forcedTransport: string | null) {
    const cometd = this.cometd;
    if (forcedTransport && ALL_TRANSPORTS.includes(forcedTransport)) {
      for (const type of cometd.getTransportTypes()) if (type !== forcedTransport) cometd.unregisterTransport(type);
    }
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
      url: new URL('/cometd', location.href).href,
      logLevel: 'warn',
      // Come back quickly after a server restart, without hammering it.
      backoffIncrement: 500,
      maxBackoff: 4000,
      maxNetworkDelay: 15000,
    });
    cometd.addListener('/meta/handshake', (m) => this.onHandshake(m));
    cometd.addListener('/meta/connect', (m) => this.onConnect(m));
    cometd.addListener('/meta/unsuccessful', () => this.onFailure());
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
    this.setState('connecting');
    this.cometd.handshake(this.handshakeProps());
  }

  private handshakeProps(): object {
    return this.token ? { ext: { auth: { token: this.token } } } : {};
  }

  stop(): void {
    this.stopped = true;
    this.setState('stopped');
    if (!this.cometd.isDisconnected()) this.cometd.disconnect();
  }

  markKicked(): void {
    this.kicked = true;
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

  private setState(state: LinkState): void {
    if (this.linkState === state) {
      this.hooks.state(state); // transport may have changed
      return;
    }
    this.linkState = state;
    this.hooks.state(state);
  }
}
