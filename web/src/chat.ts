// The client's model of the IM: people, groups, conversations and their messages, kept in step
// with the server. Messages are keyed by (conversation, seq), so whatever arrives twice — a live
// delivery and a sync, an ack redelivery, a history page — is stored and shown once.

import { api, type Category, type ChatMessage, type Conversation, type FileDetails, type FriendRequest, type Group, type GroupDetail, type Invitation, type Me, type UserSummary } from './api';
import { Connection, ServiceError, type LinkState } from './connection';
import { t } from './i18n';

export interface Pending {
  clientMsgId: string;
  conv: string;
  target: { to?: string; group?: string };
  body: string;
  kind: 'text' | 'file';
  fileId?: string;
  file?: FileDetails;
  ts: number;
  state: 'sending' | 'waiting';
}

export interface ConvState {
  conv: string;
  kind: 'direct' | 'group';
  peer?: string;
  group?: string;
  title: string;
  messages: Map<number, ChatMessage>;
  /** Every message up to here is on the server's side of history: sync asks for what comes after. */
  cursor: number;
  /** Seqs above the cursor that arrived live (the cursor moves over them once the gap is filled). */
  ahead: Set<number>;
  lastSeq: number;
  readSeq: number;
  peerReadSeq: number;
  /** The server's unread count as of unreadBaseSeq; newer messages are counted here. */
  unreadBase: number;
  unreadBaseSeq: number;
  /** The oldest seq of the history pages loaded (messages below it are not shown until loaded). */
  oldestLoaded: number;
  lastMessage?: ChatMessage;
  historyLoaded: boolean;
  historyDone: boolean;
  loadingHistory: boolean;
  pending: Map<string, Pending>;
  typing: Map<string, number>;
}

type Listener = (what: Change) => void;
export type Change =
  | { kind: 'link' }
  | { kind: 'me' }
  | { kind: 'friends' }
  | { kind: 'requests' }
  | { kind: 'groups' }
  | { kind: 'conversations' }
  | { kind: 'messages'; conv: string }
  | { kind: 'typing'; conv: string }
  | { kind: 'incoming'; message: ChatMessage }
  | { kind: 'kicked' }
  | { kind: 'denied' }
  | { kind: 'toast'; text: string };

export function directConv(a: string, b: string): string {
  return a < b ? `d-${a}-${b}` : `d-${b}-${a}`;
}

function newClientMsgId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return 'w' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export class Chat {
  me: Me;
  friends = new Map<string, UserSummary>();
  categories: Category[] = [];
  /** The people this user blocked. */
  blocked = new Set<string>();
  people = new Map<string, { displayName: string; username: string }>();
  incoming: FriendRequest[] = [];
  outgoing: FriendRequest[] = [];
  invitations: Invitation[] = [];
  groups = new Map<string, Group>();
  groupDetails = new Map<string, GroupDetail>();
  convs = new Map<string, ConvState>();
  chosenStatus: string;
  readonly link: Connection;
  private listeners = new Set<Listener>();
  private syncing: Promise<void> | null = null;
  private syncAgain = false;
  private outbox: Pending[] = [];
  private fileDetails = new Map<string, Promise<FileDetails | null>>();
  private flushing = false;
  /** The latest fetch of each list (friends, requests, ...): see latest(). */
  private loads = new Map<string, Promise<unknown>>();

  constructor(me: Me, token: string | null, forcedTransport: string | null) {
    this.me = me;
    this.people.set(me.userId, { displayName: me.displayName, username: me.username });
    this.chosenStatus = localStorage.getItem(`parley.status.${me.userId}`) ?? 'online';
    this.link = new Connection({
      ready: () => this.onReady(),
      event: (data, channel) => this.onEvent(data, channel),
      state: (state) => this.onLinkState(state),
    }, forcedTransport);
    this.link.follow(`/user/${me.userId}`);
    void this.loadEverything().then(() => this.link.start(token));
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: Change): void {
    for (const l of this.listeners) l(change);
  }

  stop(): void {
    this.link.stop();
    this.listeners.clear();
  }

  nameOf(userId: string): string {
    if (userId === this.me.userId) return this.me.displayName;
    return this.friends.get(userId)?.displayName ?? this.people.get(userId)?.displayName ?? userId;
  }

  // ---- loading -------------------------------------------------------------------------------

  private async loadEverything(): Promise<void> {
    await Promise.allSettled([this.loadFriends(), this.loadRequests(), this.loadGroups(), this.loadConversations(), this.loadBlocks()]);
  }

  /**
   * Fetches a list, or returns undefined when a newer fetch of it started meanwhile: loads overlap
   * (a reconnect reloads everything while an event reloads one list), and an answer that arrives
   * late must not overwrite a newer one. The caller then waits until the newer one is applied.
   */
  private async latest<T>(what: string, fetch: () => Promise<T>): Promise<T | undefined> {
    const mine = fetch();
    this.loads.set(what, mine);
    const result = await mine;
    if (this.loads.get(what) === mine) return result;
    await this.loads.get(what)?.catch(() => undefined);
    return undefined;
  }

  async loadBlocks(): Promise<void> {
    const answer = await this.latest('blocks', api.blocks);
    if (!answer) return;
    const { blocked } = answer;
    this.blocked = new Set(blocked);
    // Blocked people need not be friends: their names are looked up for the list.
    await Promise.allSettled(blocked.filter((id) => !this.people.has(id)).map(async (id) => {
      const user = await api.user(id);
      this.people.set(id, { displayName: user.displayName, username: user.username });
    }));
    this.emit({ kind: 'friends' });
  }

  async loadFriends(): Promise<void> {
    const answer = await this.latest('friends', api.friends);
    if (!answer) return;
    const { friends, categories } = answer;
    this.friends = new Map(friends.map((f) => [f.userId, f]));
    for (const f of friends) this.people.set(f.userId, { displayName: f.displayName, username: f.username });
    this.categories = [...categories].sort((a, b) => a.position - b.position);
    this.emit({ kind: 'friends' });
    this.emit({ kind: 'conversations' });
  }

  async loadRequests(): Promise<void> {
    const answer = await this.latest('requests', () => Promise.all([api.friendRequests(), api.invitations()]));
    if (!answer) return;
    const [{ incoming, outgoing }, { invitations }] = answer;
    this.incoming = incoming;
    this.outgoing = outgoing;
    this.invitations = invitations;
    for (const r of [...incoming, ...outgoing]) {
      for (const u of [r.fromUser, r.toUser]) if (u) this.people.set(u.userId, { displayName: u.displayName, username: u.username });
    }
    this.emit({ kind: 'requests' });
  }

  async loadGroups(): Promise<void> {
    const answer = await this.latest('groups', api.groups);
    if (!answer) return;
    const { groups } = answer;
    const before = new Set(this.groups.keys());
    this.groups = new Map(groups.map((g) => [g.id, g]));
    for (const g of groups) {
      this.link.follow(`/group/${g.id}`);
      const conv = this.ensureConv(`g-${g.id}`);
      conv.title = g.name;
    }
    for (const id of before) {
      if (!this.groups.has(id)) this.link.unfollow(`/group/${id}`);
    }
    this.emit({ kind: 'groups' });
    this.emit({ kind: 'conversations' });
  }

  async loadGroupDetail(id: string): Promise<GroupDetail> {
    const detail = await api.group(id);
    this.groupDetails.set(id, detail);
    for (const m of detail.members) this.people.set(m.userId, { displayName: m.displayName, username: m.username });
    this.emit({ kind: 'groups' });
    return detail;
  }

  async loadConversations(): Promise<void> {
    const { conversations } = await api.conversations();
    for (const c of conversations) this.mergeSummary(c);
    this.emit({ kind: 'conversations' });
  }

  private mergeSummary(c: Conversation): void {
    const conv = this.ensureConv(c.conv);
    if (c.title) conv.title = c.title;
    conv.peer = c.peer ?? conv.peer;
    conv.group = c.group ?? conv.group;
    // What the summary covers can be fetched as history; sync only needs what comes after. Once
    // history is on screen, only sync moves the cursor, so nothing in between is skipped.
    if (!conv.historyLoaded && c.lastSeq > conv.cursor) {
      conv.cursor = c.lastSeq;
      this.advance(conv);
    }
    conv.lastSeq = Math.max(conv.lastSeq, c.lastSeq);
    conv.readSeq = Math.max(conv.readSeq, c.readSeq);
    if (c.peerReadSeq) conv.peerReadSeq = Math.max(conv.peerReadSeq, c.peerReadSeq);
    if (c.lastSeq >= conv.unreadBaseSeq) {
      conv.unreadBase = c.unread;
      conv.unreadBaseSeq = c.lastSeq;
    }
    if (c.lastMessage && (!conv.lastMessage || c.lastMessage.seq >= conv.lastMessage.seq)) conv.lastMessage = c.lastMessage;
    if (c.lastMessage) this.store(c.lastMessage, false);
  }

  ensureConv(id: string): ConvState {
    let conv = this.convs.get(id);
    if (!conv) {
      const direct = id.startsWith('d-');
      let peer: string | undefined;
      if (direct) {
        const [, a, b] = id.split('-');
        peer = a === this.me.userId ? b : a;
      }
      conv = {
        conv: id,
        kind: direct ? 'direct' : 'group',
        peer,
        group: direct ? undefined : id.slice(2),
        title: '',
        messages: new Map(),
        cursor: 0,
        ahead: new Set(),
        lastSeq: 0,
        readSeq: 0,
        peerReadSeq: 0,
        unreadBase: 0,
        unreadBaseSeq: 0,
        oldestLoaded: 0,
        historyLoaded: false,
        historyDone: false,
        loadingHistory: false,
        pending: new Map(),
        typing: new Map(),
      };
      this.convs.set(id, conv);
    }
    return conv;
  }

  convTitle(conv: ConvState): string {
    if (conv.kind === 'direct' && conv.peer) return this.nameOf(conv.peer) || conv.title;
    if (conv.group) return this.groups.get(conv.group)?.name ?? conv.title ?? conv.group;
    return conv.title;
  }

  /** Loads the newest page (first time) or the page before the oldest loaded message. */
  async loadOlder(convId: string): Promise<number> {
    const conv = this.ensureConv(convId);
    if (conv.loadingHistory || (conv.historyLoaded && conv.historyDone)) return 0;
    conv.loadingHistory = true;
    try {
      let before: number | undefined;
      if (conv.historyLoaded) {
        before = conv.oldestLoaded;
        if (before <= 1) {
          conv.historyDone = true;
          return 0;
        }
      }
      const limit = 30;
      const { messages } = await api.history(convId, before, limit);
      conv.historyLoaded = true;
      if (messages.length < limit) conv.historyDone = true;
      let added = 0;
      for (const m of messages) if (this.store(m, false)) added++;
      if (messages.length) conv.oldestLoaded = conv.oldestLoaded ? Math.min(conv.oldestLoaded, messages[0].seq) : messages[0].seq;
      else if (!conv.oldestLoaded) conv.oldestLoaded = conv.lastSeq + 1;
      if (messages.length && messages[0].seq <= 1) conv.historyDone = true;
      this.emit({ kind: 'messages', conv: convId });
      return added;
    } catch (e) {
      if ((e as any)?.status === 404) conv.historyDone = conv.historyLoaded = true;
      throw e;
    } finally {
      conv.loadingHistory = false;
    }
  }

  // ---- the link ------------------------------------------------------------------------------

  private onLinkState(state: LinkState): void {
    if (state === 'denied') this.emit({ kind: 'denied' });
    this.emit({ kind: 'link' });
  }

  private onReady(): void {
    void this.reapplyStatus();
    void this.sync();
    void this.flush();
    // Things that are not messages (friends, requests, groups) may have changed while away.
    void this.loadEverything();
  }

  private async reapplyStatus(): Promise<void> {
    if (this.chosenStatus === 'online') return;
    try {
      await this.link.call('presence', { status: this.chosenStatus });
    } catch {
      /* next connect tries again */
    }
  }

  async setStatus(status: string): Promise<void> {
    const result = await this.link.call<{ status: string }>('presence', { status });
    this.chosenStatus = status;
    localStorage.setItem(`parley.status.${this.me.userId}`, status);
    this.me = { ...this.me, status: result.status ?? status };
    this.emit({ kind: 'me' });
  }

  /** Asks for everything after the cursors, page by page; runs one at a time. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.syncAgain = false;
          let more = true;
          let rounds = 0;
          while (more && rounds++ < 50) {
            const cursors: Record<string, number> = {};
            for (const c of this.convs.values()) if (c.cursor > 0) cursors[c.conv] = c.cursor;
            const result = await this.link.call<{ messages: ChatMessage[]; more: boolean }>('sync', { cursors }, 30000);
            const touched = new Set<string>();
            for (const m of result.messages) {
              const conv = this.ensureConv(m.conv);
              // Sync returns everything after the cursor, so the cursor may move straight to it.
              if (m.seq > conv.cursor) conv.cursor = m.seq;
              this.advance(conv);
              if (this.store(m, true)) touched.add(m.conv);
            }
            for (const id of touched) this.emit({ kind: 'messages', conv: id });
            if (touched.size) this.emit({ kind: 'conversations' });
            more = result.more && result.messages.length > 0;
          }
        } while (this.syncAgain);
      } catch (e) {
        console.warn('sync failed', e);
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  private advance(conv: ConvState): void {
    while (conv.ahead.has(conv.cursor + 1)) {
      conv.ahead.delete(conv.cursor + 1);
      conv.cursor++;
    }
    for (const s of conv.ahead) if (s <= conv.cursor) conv.ahead.delete(s);
  }

  /** Stores a message once; true when it was new. `live` counts it toward unread and notifications. */
  private store(m: ChatMessage, live: boolean): boolean {
    const conv = this.ensureConv(m.conv);
    const existing = conv.messages.get(m.seq);
    if (m.clientMsgId && conv.pending.has(m.clientMsgId)) conv.pending.delete(m.clientMsgId);
    if (existing) {
      if (m.recalled && !existing.recalled) conv.messages.set(m.seq, { ...existing, recalled: true, body: '', fileId: undefined, file: undefined });
      else if (m.file && !existing.file && !existing.recalled) conv.messages.set(m.seq, { ...existing, file: m.file });
      return false;
    }
    conv.messages.set(m.seq, m);
    if (m.seq > conv.lastSeq) conv.lastSeq = m.seq;
    if (!conv.lastMessage || m.seq >= conv.lastMessage.seq) conv.lastMessage = m;
    if (live && m.from !== this.me.userId && m.seq > conv.readSeq && m.kind !== 'system') this.emit({ kind: 'incoming', message: m });
    if (m.from === this.me.userId && m.seq > conv.readSeq) conv.readSeq = m.seq;
    if (m.from !== this.me.userId) conv.typing.delete(m.from);
    return true;
  }

  unreadOf(conv: ConvState): number {
    const base = conv.readSeq >= conv.unreadBaseSeq ? 0 : conv.unreadBase;
    const from = Math.max(conv.readSeq, conv.unreadBaseSeq);
    let n = 0;
    for (const m of conv.messages.values()) if (m.seq > from && m.from !== this.me.userId && m.kind !== 'system') n++;
    return base + n;
  }

  private onEvent(data: any, channel: string): void {
    if (!data || typeof data !== 'object') return;
    switch (data.type) {
      case 'message': {
        const m = data as ChatMessage;
        const conv = this.ensureConv(m.conv);
        if (m.seq <= conv.cursor || conv.ahead.has(m.seq)) {
          // Seen before (a redelivery): still merge, in case this copy carries news.
          this.store(m, false);
          return;
        }
        conv.ahead.add(m.seq);
        const gap = m.seq > conv.cursor + 1;
        this.advance(conv);
        const isNew = this.store(m, true);
        if (isNew) {
          this.emit({ kind: 'messages', conv: m.conv });
          this.emit({ kind: 'conversations' });
        }
        if (m.kind === 'system' && conv.group) void this.loadGroupDetail(conv.group).catch(() => undefined);
        // Something between the cursor and this message never arrived: fetch it.
        if (gap) void this.sync();
        break;
      }
      case 'typing': {
        if (data.user === this.me.userId) return;
        const conv = this.ensureConv(data.conv);
        conv.typing.set(data.user, Date.now() + 6000);
        this.emit({ kind: 'typing', conv: data.conv });
        setTimeout(() => this.emit({ kind: 'typing', conv: data.conv }), 6100);
        break;
      }
      case 'read': {
        const conv = this.ensureConv(data.conv);
        if (data.user === this.me.userId) {
          conv.readSeq = Math.max(conv.readSeq, data.seq);
          this.emit({ kind: 'conversations' });
        } else {
          conv.peerReadSeq = Math.max(conv.peerReadSeq, data.seq);
          this.emit({ kind: 'messages', conv: data.conv });
        }
        break;
      }
      case 'recalled': {
        const conv = this.ensureConv(data.conv);
        const m = conv.messages.get(data.seq);
        if (m) conv.messages.set(data.seq, { ...m, recalled: true, body: '', fileId: undefined, file: undefined });
        if (conv.lastMessage && conv.lastMessage.seq === data.seq) conv.lastMessage = { ...conv.lastMessage, recalled: true, body: "" };
        this.emit({ kind: 'messages', conv: data.conv });
        this.emit({ kind: 'conversations' });
        break;
      }
      case 'presence': {
        const friend = this.friends.get(data.user);
        if (friend) {
          this.friends.set(data.user, { ...friend, status: data.status, lastSeen: data.lastSeen ?? friend.lastSeen });
          this.emit({ kind: 'friends' });
        }
        for (const detail of this.groupDetails.values()) {
          const member = detail.members.find((m) => m.userId === data.user);
          if (member) member.status = data.status;
        }
        if (data.user === this.me.userId) {
          this.me = { ...this.me, status: data.status };
          this.emit({ kind: 'me' });
        }
        this.emit({ kind: 'groups' });
        break;
      }
      case 'friend-request':
        this.people.set(data.from, { displayName: data.fromDisplayName, username: data.fromUsername });
        void this.loadRequests();
        this.emit({ kind: 'toast', text: t('friendRequestFrom', { name: data.fromDisplayName }) });
        break;
      case 'friend-removed':
        void this.loadFriends();
        break;
      case 'friend-accepted':
      case 'friend-request-closed':
        void this.loadFriends();
        void this.loadRequests();
        break;
      case 'kicked':
        this.link.markKicked();
        this.emit({ kind: 'kicked' });
        break;
      case 'resync':
        void this.sync();
        break;
      default:
        if (typeof data.type === 'string' && data.type.startsWith('group-')) {
          void this.loadGroups();
          if (data.type === 'group-invited') void this.loadRequests();
          if (data.group && this.groupDetails.has(data.group)) void this.loadGroupDetail(data.group).catch(() => undefined);
        }
    }
    void channel;
  }

  // ---- actions -------------------------------------------------------------------------------

  typingPeople(convId: string): string[] {
    const conv = this.convs.get(convId);
    if (!conv) return [];
    const now = Date.now();
    const names: string[] = [];
    for (const [user, until] of conv.typing) {
      if (until > now) names.push(this.nameOf(user));
      else conv.typing.delete(user);
    }
    return names;
  }

  targetOf(convId: string): { to?: string; group?: string } {
    const conv = this.ensureConv(convId);
    return conv.kind === 'group' ? { group: conv.group } : { to: conv.peer };
  }

  send(convId: string, body: string, kind: 'text' | 'file' = 'text', fileId?: string, file?: FileDetails): void {
    const conv = this.ensureConv(convId);
    const pending: Pending = { clientMsgId: newClientMsgId(), conv: convId, target: this.targetOf(convId), body, kind, fileId, file, ts: Date.now(), state: 'sending' };
    conv.pending.set(pending.clientMsgId, pending);
    this.outbox.push(pending);
    this.emit({ kind: 'messages', conv: convId });
    void this.flush();
  }

  /** Sends what waits in the outbox, in order; a retry reuses the clientMsgId, so it never doubles. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.outbox.length && this.link.state === 'connected') {
        const p = this.outbox[0];
        p.state = 'sending';
        this.emit({ kind: 'messages', conv: p.conv });
        try {
          const result = await this.link.call<{ conv: string; seq: number; id: string; ts: number }>('send', {
            ...p.target, body: p.body, kind: p.kind, fileId: p.fileId, clientMsgId: p.clientMsgId,
          });
          this.outbox.shift();
          const conv = this.ensureConv(result.conv);
          conv.pending.delete(p.clientMsgId);
          const message: ChatMessage = { conv: result.conv, seq: result.seq, id: result.id, from: this.me.userId, body: p.body, kind: p.kind, ts: result.ts, clientMsgId: p.clientMsgId, fileId: p.fileId, file: p.file };
          if (!(result.seq <= conv.cursor) && !conv.ahead.has(result.seq)) {
            conv.ahead.add(result.seq);
            this.advance(conv);
          }
          this.store(message, false);
          this.emit({ kind: 'messages', conv: result.conv });
          this.emit({ kind: 'conversations' });
        } catch (e) {
          if (e instanceof ServiceError && e.transient) {
            p.state = 'waiting';
            this.emit({ kind: 'messages', conv: p.conv });
            // Try again after the next (re)connect, or shortly if the link still looks up.
            setTimeout(() => void this.flush(), 2000);
            return;
          }
          this.outbox.shift();
          this.ensureConv(p.conv).pending.delete(p.clientMsgId);
          this.emit({ kind: 'messages', conv: p.conv });
          this.emit({ kind: 'toast', text: (e as Error).message });
        }
      }
      for (const p of this.outbox) {
        if (p.state !== 'waiting') {
          p.state = 'waiting';
          this.emit({ kind: 'messages', conv: p.conv });
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private lastTyping = 0;
  typing(convId: string): void {
    const now = Date.now();
    if (now - this.lastTyping < 3000 || this.link.state !== 'connected') return;
    this.lastTyping = now;
    this.link.call('typing', this.targetOf(convId)).catch(() => undefined);
  }

  markRead(convId: string): void {
    const conv = this.convs.get(convId);
    if (!conv) return;
    let newest = 0;
    for (const m of conv.messages.values()) if (m.seq > newest) newest = m.seq;
    newest = Math.max(newest, conv.lastSeq);
    if (newest <= conv.readSeq || this.link.state !== 'connected') return;
    const before = conv.readSeq;
    conv.readSeq = newest;
    this.emit({ kind: 'conversations' });
    this.link.call('read', { conv: convId, seq: newest }).catch(() => {
      if (conv.readSeq === newest) conv.readSeq = before; // ask again next time
    });
  }

  async recall(message: ChatMessage): Promise<void> {
    await this.link.call('recall', { id: message.id });
  }

  async createGroup(name: string, members: string[]): Promise<string> {
    const { id } = await api.createGroup(name);
    for (const userId of members) await api.addMember(id, userId);
    await this.loadGroups();
    return id;
  }

  /** Name, size and type of a file whose message came without them; asked once. */
  fileInfo(fileId: string): Promise<FileDetails | null> {
    let known = this.fileDetails.get(fileId);
    if (!known) {
      known = api.fileInfo(fileId).then((f) => ({ name: f.name, size: f.size, contentType: f.contentType }), () => null);
      this.fileDetails.set(fileId, known);
    }
    return known;
  }

  attachFile(convId: string, seq: number, file: FileDetails): void {
    const conv = this.convs.get(convId);
    const m = conv?.messages.get(seq);
    if (!conv || !m || m.file || m.recalled) return;
    conv.messages.set(seq, { ...m, file });
    this.emit({ kind: 'messages', conv: convId });
  }

  // Friends: categories, removal, blocks. Each reloads what it changed, so every view agrees.

  async createCategory(name: string): Promise<string> {
    const { id } = await api.createCategory(name);
    await this.loadFriends();
    return id;
  }

  async renameCategory(id: string, name: string): Promise<void> {
    await api.renameCategory(id, name);
    await this.loadFriends();
  }

  async deleteCategory(id: string): Promise<void> {
    await api.deleteCategory(id);
    await this.loadFriends();
  }

  async moveFriend(userId: string, categoryId: string | null): Promise<void> {
    await api.moveFriend(userId, categoryId);
    await this.loadFriends();
  }

  async removeFriend(userId: string): Promise<void> {
    await api.removeFriend(userId);
    await this.loadFriends();
  }

  async block(userId: string): Promise<void> {
    await api.block(userId);
    await Promise.allSettled([this.loadBlocks(), this.loadFriends(), this.loadRequests()]);
  }

  async unblock(userId: string): Promise<void> {
    await api.unblock(userId);
    await Promise.allSettled([this.loadBlocks(), this.loadFriends()]);
  }

  // Groups: the server checks every role; these only ask and then reload the detail.

  async renameGroup(id: string, name: string): Promise<void> {
    await api.renameGroup(id, name);
    await Promise.allSettled([this.loadGroups(), this.loadGroupDetail(id)]);
  }

  async addMember(id: string, userId: string): Promise<void> {
    await api.addMember(id, userId);
    await this.loadGroupDetail(id);
  }

  async setRole(id: string, userId: string, role: 'member' | 'admin' | 'owner'): Promise<void> {
    await api.setRole(id, userId, role);
    await this.loadGroupDetail(id);
  }

  async removeMember(id: string, userId: string): Promise<void> {
    await api.removeMember(id, userId);
    await this.loadGroupDetail(id);
  }

  async leaveGroup(id: string): Promise<void> {
    await api.leaveGroup(id);
    this.link.unfollow(`/group/${id}`);
    this.groups.delete(id);
    this.convs.delete(`g-${id}`);
    this.emit({ kind: 'groups' });
    this.emit({ kind: 'conversations' });
  }
}

export type { LinkState };
