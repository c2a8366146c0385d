// One conversation: history with scroll-back, the composer (Enter sends, Shift+Enter breaks the
// line), typing, read marks, recall, files and images with progress, emoji.

import { fileUrl, upload, type ChatMessage, type FileDetails } from './api';
import type { Chat, ConvState, Pending } from './chat';
import { h, replace } from './dom';
import { EMOJI } from './emoji';
import { formatClock, formatSize, t, type Key } from './i18n';
import { pageIsActive } from './notify';
import { initial } from './shell';

const RECALL_WINDOW_MS = 2 * 60 * 1000;
const IMAGE_NAME = /\.(png|jpe?g|gif|webp)$/i;
// The types the server serves inline (anything else is a download).
const IMAGE_TYPE = /^image\/(png|jpeg|gif|webp)\b/i;

interface Hooks {
  back(): void;
  members(groupId: string): void;
  toast(text: string): void;
}

interface Upload {
  id: string;
  name: string;
  fraction: number;
  preview?: string;
  abort: () => void;
}

export class ChatView {
  private readonly conv: ConvState;
  private readonly header = h('header', { class: 'chat-header' });
  private readonly log: HTMLElement;
  private readonly top = h('div', { class: 'history-edge', role: 'status' });
  private readonly typingLine = h('div', { class: 'typing-line', 'aria-live': 'polite' });
  private readonly input: HTMLTextAreaElement;
  private readonly emojiPanel: HTMLElement;
  private readonly uploadsBox = h('div', { class: 'uploads' });
  private readonly rows = new Map<string, { el: HTMLElement; sig: string }>();
  private readonly uploads = new Map<string, Upload>();
  private destroyed = false;
  private recallTimer: number;

  constructor(pane: HTMLElement, private readonly chat: Chat, convId: string, private readonly hooks: Hooks) {
    this.conv = chat.ensureConv(convId);
    this.log = h('div', {
      class: 'messages',
      role: 'log',
      'aria-label': t('chats'),
      'aria-live': 'polite',
      tabindex: 0,
      onscroll: () => this.onScroll(),
    }, this.top);
    this.input = h('textarea', {
      id: 'composer-input',
      rows: 1,
      placeholder: t('typeMessage'),
      'aria-label': t('typeMessage'),
      maxlength: 4000,
      onkeydown: (e: KeyboardEvent) => this.onKey(e),
      oninput: () => {
        this.autosize();
        if (this.input.value.trim()) this.chat.typing(this.conv.conv);
      },
      onpaste: (e: ClipboardEvent) => {
        const files = [...(e.clipboardData?.files ?? [])];
        if (files.length) {
          e.preventDefault();
          files.forEach((f) => this.sendFile(f));
        }
      },
    });
    const fileInput = h('input', {
      type: 'file',
      id: 'file-input',
      multiple: true,
      class: 'visually-hidden',
      tabindex: -1,
      'aria-hidden': 'true',
      onchange: (e: Event) => {
        const el = e.target as HTMLInputElement;
        [...(el.files ?? [])].forEach((f) => this.sendFile(f));
        el.value = '';
      },
    });
    this.emojiPanel = h('div', { class: 'emoji-panel', id: 'emoji-panel', role: 'dialog', 'aria-label': t('emoji'), hidden: true },
      EMOJI.map((e) => h('button', { type: 'button', class: 'emoji', 'aria-label': e, onclick: () => this.insert(e) }, e)));
    const emojiButton = h('button', {
      type: 'button',
      class: 'icon',
      id: 'emoji-button',
      'aria-label': t('emoji'),
      'aria-expanded': 'false',
      'aria-controls': 'emoji-panel',
      title: t('emoji'),
      onclick: () => {
        this.emojiPanel.hidden = !this.emojiPanel.hidden;
        emojiButton.setAttribute('aria-expanded', String(!this.emojiPanel.hidden));
        if (!this.emojiPanel.hidden) (this.emojiPanel.firstElementChild as HTMLElement)?.focus();
      },
    }, '😊');
    this.emojiPanel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        this.emojiPanel.hidden = true;
        emojiButton.setAttribute('aria-expanded', 'false');
        emojiButton.focus();
      }
    });
    const composer = h('form', {
      class: 'composer',
      onsubmit: (e: Event) => {
        e.preventDefault();
        this.submit();
      },
    },
    emojiButton,
    h('button', { type: 'button', class: 'icon', id: 'attach-button', 'aria-label': t('attach'), title: t('attach'), onclick: () => fileInput.click() }, '📎'),
    fileInput,
    this.input,
    h('button', { type: 'submit', class: 'primary send', id: 'send-button', 'aria-label': t('send') }, t('send')));

    const dropZone = h('div', { class: 'chat', 'data-conv': convId },
      this.header, this.log, this.typingLine, this.uploadsBox, this.emojiPanel, composer);
    dropZone.addEventListener('dragover', (e) => e.preventDefault());
    dropZone.addEventListener('drop', (e) => {
      e.preventDefault();
      [...(e.dataTransfer?.files ?? [])].forEach((f) => this.sendFile(f));
    });
    replace(pane, dropZone);
    this.renderHeader();
    this.renderMessages(true);
    this.renderTyping();
    // Recall buttons expire with the recall window.
    this.recallTimer = window.setInterval(() => this.renderMessages(false), 30_000);
    if (!this.conv.historyLoaded) void this.loadOlder(true);
    else this.scrollToBottom();
    if (matchMedia('(pointer: fine)').matches) this.input.focus();
  }

  destroy(): void {
    this.destroyed = true;
    clearInterval(this.recallTimer);
  }

  onChange(kind: 'messages' | 'typing' | 'meta'): void {
    if (this.destroyed) return;
    if (kind === 'messages') this.renderMessages(false);
    if (kind === 'typing' || kind === 'messages') this.renderTyping();
    if (kind === 'meta') {
      this.renderHeader();
      this.renderMessages(false);
    }
  }

  // ---- header --------------------------------------------------------------------------------

  private renderHeader(): void {
    const title = this.chat.convTitle(this.conv);
    let sub: Node | string = '';
    let dot: string | null = null;
    if (this.conv.kind === 'direct' && this.conv.peer) {
      const friend = this.chat.friends.get(this.conv.peer);
      const status = friend?.status ?? 'offline';
      dot = status;
      sub = h('span', { class: `presence ${status}` }, t(status as Key), friend?.statusMessage ? ` · ${friend.statusMessage}` : '');
    } else if (this.conv.group) {
      const detail = this.chat.groupDetails.get(this.conv.group);
      if (detail) sub = t('members_n', { n: detail.members.length });
      else void this.chat.loadGroupDetail(this.conv.group).catch(() => undefined);
    }
    replace(this.header,
      h('button', { type: 'button', class: 'icon back', 'aria-label': t('back'), onclick: () => this.hooks.back() }, '←'),
      h('span', { class: `avatar ${this.conv.kind}`, 'aria-hidden': 'true' }, initial(title), dot ? h('span', { class: `dot ${dot}` }) : null),
      h('div', { class: 'chat-title' }, h('h2', { id: 'chat-title' }, title), h('div', { class: 'chat-sub' }, sub)),
      this.conv.group ? h('button', { type: 'button', class: 'secondary small', id: 'members-button', onclick: () => this.hooks.members(this.conv.group!) }, t('members')) : null);
  }

  private renderTyping(): void {
    const names = this.chat.typingPeople(this.conv.conv);
    this.typingLine.textContent = names.length ? t('typing', { name: names.join(', ') }) : '';
  }

  // ---- messages ------------------------------------------------------------------------------

  private nearBottom(): boolean {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
  }

  private scrollToBottom(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  private onScroll(): void {
    if (this.log.scrollTop < 120 && this.conv.historyLoaded && !this.conv.historyDone) void this.loadOlder(false);
    if (this.nearBottom() && pageIsActive()) this.chat.markRead(this.conv.conv);
  }

  private async loadOlder(first: boolean): Promise<void> {
    this.renderEdge(true);
    const fromBottom = this.log.scrollHeight - this.log.scrollTop;
    try {
      await this.chat.loadOlder(this.conv.conv);
    } catch (err) {
      this.hooks.toast((err as Error).message);
    }
    if (this.destroyed) return;
    this.renderMessages(false);
    if (first) this.scrollToBottom();
    else this.log.scrollTop = this.log.scrollHeight - fromBottom;
    this.renderEdge(false);
    // A short first page may not fill the pane: keep going until it scrolls or history ends.
    if (!this.conv.historyDone && this.log.scrollHeight <= this.log.clientHeight + 120) void this.loadOlder(false);
  }

  private renderEdge(loading: boolean): void {
    this.top.textContent = loading ? t('loadingOlder') : this.conv.historyDone ? t('beginning') : '';
  }

  private renderMessages(initialRender: boolean): void {
    const stick = initialRender || this.nearBottom();
    const fromBottom = this.log.scrollHeight - this.log.scrollTop;
    const floor = this.conv.historyDone ? 0 : this.conv.oldestLoaded || Infinity;
    const messages = [...this.conv.messages.values()].filter((m) => m.seq >= floor || (!this.conv.historyLoaded && m.seq === this.conv.lastSeq)).sort((a, b) => a.seq - b.seq);
    const pending = [...this.conv.pending.values()].sort((a, b) => a.ts - b.ts);
    const isGroup = this.conv.kind === 'group';
    const me = this.chat.me.userId;
    let lastReadMine = -1;
    if (!isGroup) for (const m of messages) if (m.from === me && m.seq <= this.conv.peerReadSeq) lastReadMine = m.seq;

    const wanted: string[] = [];
    let previous: ChatMessage | null = null;
    for (const m of messages) {
      const key = `s${m.seq}`;
      wanted.push(key);
      const continued = !!previous && previous.from === m.from && m.ts - previous.ts < 5 * 60_000 && previous.kind !== 'system';
      const canRecall = m.from === me && !m.recalled && m.kind !== 'system' && Date.now() - m.ts < RECALL_WINDOW_MS;
      const read = m.seq === lastReadMine;
      const sig = `${m.recalled}|${continued}|${canRecall}|${read}|${m.body.length}|${m.file ? m.file.size : ''}`;
      const row = this.rows.get(key);
      if (!row || row.sig !== sig) {
        const el = this.messageRow(m, continued, canRecall, read, isGroup);
        if (row) row.el.replaceWith(el);
        this.rows.set(key, { el, sig });
      }
      previous = m;
    }
    for (const p of pending) {
      const key = `p${p.clientMsgId}`;
      wanted.push(key);
      const sig = p.state;
      const row = this.rows.get(key);
      if (!row || row.sig !== sig) {
        const el = this.pendingRow(p);
        if (row) row.el.replaceWith(el);
        this.rows.set(key, { el, sig });
      }
    }
    const keep = new Set(wanted);
    for (const [key, row] of this.rows) {
      if (!keep.has(key)) {
        row.el.remove();
        this.rows.delete(key);
      }
    }
    // Put rows in order, moving only those out of place.
    let cursor: ChildNode = this.top;
    for (const key of wanted) {
      const el = this.rows.get(key)!.el;
      if (cursor.nextSibling !== el) cursor.after(el);
      cursor = el;
    }
    this.renderEdge(this.conv.loadingHistory);
    if (stick) this.scrollToBottom();
    else this.log.scrollTop = this.log.scrollHeight - fromBottom;
    if (stick && pageIsActive()) this.chat.markRead(this.conv.conv);
  }

  private messageRow(m: ChatMessage, continued: boolean, canRecall: boolean, read: boolean, isGroup: boolean): HTMLElement {
    const mine = m.from === this.chat.me.userId;
    if (m.kind === 'system') {
      return h('div', { class: 'msg system', 'data-seq': m.seq }, h('span', null, m.body));
    }
    let content: Node;
    if (m.recalled) {
      content = h('em', { class: 'recalled' }, mine ? t('recalled') : t('recalledBy', { name: this.chat.nameOf(m.from) }));
    } else if (m.kind === 'file' && m.fileId) {
      content = this.fileContent(m.fileId, m.body, m.file);
      // Every message from the server carries the details; a message built here (an own send) may not.
      if (!m.file) void this.chat.fileInfo(m.fileId).then((file) => file && this.chat.attachFile(m.conv, m.seq, file));
    } else {
      content = h('span', { class: 'text' }, m.body);
    }
    return h('div', {
      class: `msg ${mine ? 'mine' : 'theirs'}${continued ? ' continued' : ''}${m.recalled ? ' is-recalled' : ''}`,
      'data-seq': m.seq,
      'data-id': m.id,
      'data-kind': m.kind,
    },
    isGroup && !mine && !continued ? h('div', { class: 'author' }, this.chat.nameOf(m.from)) : null,
    h('div', { class: 'bubble' }, content),
    h('div', { class: 'meta' },
      h('time', { datetime: new Date(m.ts).toISOString(), title: new Date(m.ts).toLocaleString() }, formatClock(m.ts)),
      read ? h('span', { class: 'read-mark' }, ` · ${t('read')}`) : null,
      canRecall ? h('button', {
        type: 'button',
        class: 'link recall',
        'aria-label': `${t('recall')}: ${m.body.slice(0, 40)}`,
        onclick: async () => {
          try {
            await this.chat.recall(m);
          } catch (err) {
            this.hooks.toast((err as Error).message);
          }
        },
      }, t('recall')) : null));
  }

  private fileContent(fileId: string, name: string, file?: FileDetails): Node {
    const url = fileUrl(fileId);
    const link = () => h('a', { class: 'file-card', href: url, download: name || 'file', target: '_blank', rel: 'noopener' },
      h('span', { class: 'file-icon', 'aria-hidden': 'true' }, '📎'),
      h('span', { class: 'file-text' },
        h('span', { class: 'file-name' }, name || t('file')),
        h('span', { class: 'file-details' },
          file ? h('span', { class: 'file-size' }, formatSize(file.size)) : null,
          h('span', { class: 'file-action' }, t('download')))));
    const image = file ? IMAGE_TYPE.test(file.contentType) : IMAGE_NAME.test(name);
    if (!image) return link();
    const img = h('img', { src: url, alt: name, loading: 'lazy', class: 'image' });
    const a = h('a', { class: 'image-link', href: url, target: '_blank', rel: 'noopener', 'aria-label': `${t('image')}: ${name}` }, img);
    img.addEventListener('error', () => a.replaceWith(link()));
    img.addEventListener('load', () => {
      if (this.nearBottom() || this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < img.height + 100) this.scrollToBottom();
    });
    return a;
  }

  private pendingRow(p: Pending): HTMLElement {
    const content = p.kind === 'file' && p.fileId ? this.fileContent(p.fileId, p.body, p.file) : h('span', { class: 'text' }, p.body);
    return h('div', { class: `msg mine pending ${p.state}`, 'data-client-id': p.clientMsgId },
      h('div', { class: 'bubble' }, content),
      h('div', { class: 'meta' }, p.state === 'waiting' ? t('failed') : t('sending')));
  }

  // ---- composing -----------------------------------------------------------------------------

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.submit();
    }
  }

  private submit(): void {
    const body = this.input.value;
    if (!body.trim()) return;
    this.chat.send(this.conv.conv, body);
    this.input.value = '';
    this.autosize();
    this.emojiPanel.hidden = true;
    this.scrollToBottom();
  }

  private autosize(): void {
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 160)}px`;
  }

  private insert(text: string): void {
    const { selectionStart: start, selectionEnd: end, value } = this.input;
    this.input.value = value.slice(0, start) + text + value.slice(end);
    this.input.focus();
    this.input.setSelectionRange(start + text.length, start + text.length);
  }

  private sendFile(file: File): void {
    const id = `${Date.now()}-${Math.random()}`;
    const preview = IMAGE_NAME.test(file.name) || file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined;
    const job = upload(file, (fraction) => {
      const u = this.uploads.get(id);
      if (u) {
        u.fraction = fraction;
        this.renderUploads();
      }
    });
    this.uploads.set(id, { id, name: file.name, fraction: 0, preview, abort: job.abort });
    this.renderUploads();
    job.promise.then((uploaded) => {
      this.chat.send(this.conv.conv, uploaded.name || file.name, 'file', uploaded.fileId, { name: uploaded.name, size: uploaded.size, contentType: uploaded.contentType });
    }, (err) => {
      if (err?.code !== 'aborted') this.hooks.toast(t('uploadFailed', { error: err?.message ?? '' }));
    }).finally(() => {
      if (preview) URL.revokeObjectURL(preview);
      this.uploads.delete(id);
      this.renderUploads();
    });
  }

  private renderUploads(): void {
    replace(this.uploadsBox, [...this.uploads.values()].map((u) => {
      const pct = Math.round(u.fraction * 100);
      return h('div', { class: 'upload', 'data-upload': u.name },
        u.preview ? h('img', { src: u.preview, alt: '', class: 'thumb' }) : h('span', { class: 'file-icon', 'aria-hidden': 'true' }, '📎'),
        h('div', { class: 'upload-main' },
          h('span', null, t('uploading', { name: u.name, pct })),
          h('progress', { max: 100, value: pct, 'aria-label': u.name })),
        h('button', { type: 'button', class: 'icon', 'aria-label': t('cancel'), onclick: () => u.abort() }, '✕'));
    }));
  }
}
