// The signed-in app: top bar, connection banner, the sidebar (chats, contacts, groups) and the
// chat pane, plus the dialogs. Lists are small, so they are rebuilt on change; the message list
// is updated in place (chatview.ts) so scrolling and focus are kept.

import { api, ApiError, type UserSummary } from './api';
import { Chat, directConv, type Change, type ConvState } from './chat';
import { ChatView } from './chatview';
import { openDialog } from './dialogs';
import { $, coalesce, h, replace } from './dom';
import { chosenLang, formatTime, setLang, t, type Key } from './i18n';
import { showBlocked, showCategories, showFriend, showMembers, type ManageHooks } from './manage';
import { announce, askForNotifications, notificationState, pageIsActive } from './notify';

type Tab = 'chats' | 'contacts' | 'groups';
const STATUSES = ['online', 'away', 'busy', 'invisible'] as const;

export class Shell {
  private tab: Tab = 'chats';
  private openConv: string | null = null;
  private chatView: ChatView | null = null;
  private searchResults: UserSummary[] | null = null;
  private searchQuery = '';
  private sentRequests = new Set<string>();
  private readonly root: HTMLElement;
  private readonly topbar = h('header', { class: 'topbar' });
  private readonly banner = h('div', { class: 'banner', role: 'status', 'aria-live': 'polite', hidden: true });
  private readonly tabs = h('nav', { class: 'tabs', role: 'tablist', 'aria-label': 'Sections' });
  private readonly panel = h('div', { class: 'panel', role: 'tabpanel' });
  private readonly pane = h('section', { class: 'pane', 'aria-label': 'Conversation' });
  private readonly toast = h('div', { class: 'toast', role: 'status', 'aria-live': 'polite' });
  private unsubscribe: () => void;
  /**
   * Set between a pointer press on the app and its release. The lists and the top bar are not
   * rebuilt meanwhile: the press and the release would land on different elements and the click
   * would be lost (an update arriving just as someone clicks a tab or "Accept"). What changed
   * meanwhile is drawn right after the click.
   */
  private pressed = false;
  private readonly held = new Set<() => void>();
  private readonly redrawTop = () => this.renderTop();
  private readonly redrawLists = () => this.renderLists();

  constructor(root: HTMLElement, private readonly chat: Chat, private readonly signOut: () => void) {
    this.root = root;
    replace(root, h('div', { class: 'shell', 'data-view': 'list' },
      this.topbar,
      this.banner,
      h('div', { class: 'main' },
        h('aside', { class: 'sidebar', 'aria-label': 'Navigation' }, this.tabs, this.panel),
        this.pane),
      this.toast));
    const renderLists = coalesce(() => this.renderLists());
    const renderTop = coalesce(() => this.renderTop());
    this.unsubscribe = chat.on((change) => this.onChange(change, renderLists, renderTop));
    this.renderTop();
    this.renderLists();
    this.renderPane();
    addEventListener('popstate', this.onPopState);
    document.addEventListener('visibilitychange', this.onVisible);
    addEventListener('focus', this.onVisible);
    root.addEventListener('pointerdown', this.onPress, true);
    addEventListener('pointerup', this.onRelease, true);
    addEventListener('pointercancel', this.onRelease, true);
    addEventListener('blur', this.onRelease);
  }

  destroy(): void {
    this.unsubscribe();
    removeEventListener('popstate', this.onPopState);
    document.removeEventListener('visibilitychange', this.onVisible);
    removeEventListener('focus', this.onVisible);
    this.root.removeEventListener('pointerdown', this.onPress, true);
    removeEventListener('pointerup', this.onRelease, true);
    removeEventListener('pointercancel', this.onRelease, true);
    removeEventListener('blur', this.onRelease);
    this.held.clear();
  }

  private onPress = () => {
    this.pressed = true;
  };

  private onRelease = () => {
    if (!this.pressed) return;
    this.pressed = false;
    // A task later: after the click this release completes has run its handler.
    setTimeout(() => {
      if (this.pressed) return;
      const draws = [...this.held];
      this.held.clear();
      for (const draw of draws) draw();
    }, 0);
  };

  /** True when drawing has to wait for the pointer's release; it is then done after the click. */
  private heldByPress(draw: () => void): boolean {
    if (!this.pressed) return false;
    this.held.add(draw);
    return true;
  }

  private onVisible = () => {
    if (this.openConv && pageIsActive()) this.chat.markRead(this.openConv);
  };

  private onPopState = () => {
    // Back on a phone leaves the chat for the list.
    if (this.openConv && !(history.state && history.state.conv)) this.closeConv();
  };

  private onChange(change: Change, renderLists: () => void, renderTop: () => void): void {
    switch (change.kind) {
      case 'link':
      case 'me':
        renderTop();
        break;
      case 'messages':
      case 'typing':
        if (change.conv === this.openConv) this.chatView?.onChange(change.kind);
        renderLists();
        break;
      case 'incoming': {
        const m = change.message;
        const isOpen = m.conv === this.openConv && pageIsActive();
        if (!isOpen) {
          const body = m.kind === 'file' ? `📎 ${m.body}` : m.body;
          announce(this.chat.nameOf(m.from), body, () => this.open(m.conv));
        }
        break;
      }
      case 'kicked':
        this.showKicked();
        renderTop();
        break;
      case 'denied':
        this.signOut();
        break;
      case 'toast':
        this.showToast(change.text);
        break;
      case 'groups':
        renderLists();
        if (this.openConv?.startsWith('g-')) this.chatView?.onChange('meta');
        break;
      default:
        renderLists();
        if (this.openConv) this.chatView?.onChange('meta');
    }
  }

  // ---- top bar and banner --------------------------------------------------------------------

  private renderTop(): void {
    if (this.heldByPress(this.redrawTop)) return;
    const me = this.chat.me;
    const link = this.chat.link.state;
    const transport = this.chat.link.transport;
    const status = h('select', {
      id: 'presence-select',
      'aria-label': t('status'),
      class: 'presence-select',
      onchange: async (e: Event) => {
        const value = (e.target as HTMLSelectElement).value;
        try {
          await this.chat.setStatus(value);
        } catch (err) {
          this.showToast((err as Error).message);
          this.renderTop();
        }
      },
    }, STATUSES.map((s) => h('option', { value: s, selected: this.chat.chosenStatus === s }, t(s))));

    const chipText = link === 'connected' ? t('connected') : link === 'connecting' ? t('connecting') : link === 'offline' ? t('offline') : link === 'kicked' ? t('kickedTitle') : t('reconnecting');
    replace(this.topbar,
      h('div', { class: 'me' },
        h('span', { class: `dot ${this.chat.chosenStatus}`, 'aria-hidden': 'true' }),
        h('div', { class: 'me-text' },
          h('strong', { class: 'me-name' }, me.displayName),
          h('span', { class: 'me-user' }, `@${me.username}`)),
        status),
      h('div', { class: 'top-actions' },
        h('span', {
          class: `link-chip ${link}`,
          id: 'link-chip',
          'data-state': link,
          'data-transport': transport,
          title: transport ? t('via', { transport }) : '',
        }, h('span', { class: 'dot', 'aria-hidden': 'true' }), chipText, transport && link === 'connected' ? h('small', null, ` · ${transport}`) : null),
        h('button', { class: 'icon', type: 'button', 'aria-label': t('settings'), title: t('settings'), onclick: () => this.showSettings() }, '⚙')));

    if (link === 'reconnecting' || link === 'offline') {
      this.banner.hidden = false;
      this.banner.className = `banner ${link}`;
      this.banner.textContent = link === 'offline' ? t('offlineBanner') : t('reconnectingBanner');
    } else {
      this.banner.hidden = true;
    }
  }

  // ---- sidebar -------------------------------------------------------------------------------

  private renderLists(): void {
    if (this.heldByPress(this.redrawLists)) return;
    const totalUnread = [...this.chat.convs.values()].reduce((n, c) => n + this.chat.unreadOf(c), 0);
    const requests = this.chat.incoming.length + this.chat.invitations.length;
    const tab = (id: Tab, label: string, badge: number) => h('button', {
      type: 'button',
      role: 'tab',
      id: `tab-${id}`,
      'aria-selected': String(this.tab === id),
      tabindex: this.tab === id ? 0 : -1,
      onclick: () => {
        this.tab = id;
        this.renderLists();
      },
      onkeydown: (e: KeyboardEvent) => {
        const order: Tab[] = ['chats', 'contacts', 'groups'];
        const i = order.indexOf(id);
        if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
          this.tab = order[(i + (e.key === 'ArrowRight' ? 1 : 2)) % 3];
          this.renderLists();
          $(`#tab-${this.tab}`)?.focus();
        }
      },
    }, label, badge ? h('span', { class: 'badge', 'aria-label': `${badge}` }, String(badge)) : null);
    replace(this.tabs, tab('chats', t('chats'), totalUnread), tab('contacts', t('contacts'), requests), tab('groups', t('groups'), 0));

    const focused = document.activeElement as HTMLElement | null;
    const focusId = focused && this.panel.contains(focused) ? focused.id : null;
    const selection = focused instanceof HTMLInputElement ? [focused.selectionStart, focused.selectionEnd] : null;
    if (this.tab === 'chats') this.renderChats();
    else if (this.tab === 'contacts') this.renderContacts();
    else this.renderGroups();
    if (focusId) {
      const again = document.getElementById(focusId);
      again?.focus();
      if (again instanceof HTMLInputElement && selection) again.setSelectionRange(selection[0], selection[1]);
    }
  }

  private renderChats(): void {
    const convs = [...this.chat.convs.values()]
      .filter((c) => c.lastMessage || c.pending.size || c.conv === this.openConv)
      .sort((a, b) => (b.lastMessage?.ts ?? Date.now()) - (a.lastMessage?.ts ?? Date.now()));
    if (!convs.length) {
      replace(this.panel, h('p', { class: 'empty' }, t('noChats')));
      return;
    }
    replace(this.panel, h('ul', { class: 'list conv-list', 'aria-label': t('chats') }, convs.map((c) => this.convItem(c))));
  }

  private convItem(c: ConvState) {
    const unread = this.chat.unreadOf(c);
    const last = c.lastMessage;
    let preview = '';
    if (last) {
      const who = c.kind === 'group' && last.from !== this.chat.me.userId && last.kind !== 'system' ? `${this.chat.nameOf(last.from)}: ` : last.from === this.chat.me.userId ? `${t('you')}: ` : '';
      preview = last.recalled ? t('recalled') : last.kind === 'file' ? `${who}📎 ${last.body}` : `${who}${last.body}`;
    }
    const typing = this.chat.typingPeople(c.conv);
    const title = this.chat.convTitle(c);
    const status = c.kind === 'direct' && c.peer ? this.chat.friends.get(c.peer)?.status ?? 'offline' : null;
    return h('li', null, h('button', {
      type: 'button',
      class: `item conv${c.conv === this.openConv ? ' active' : ''}`,
      'data-conv': c.conv,
      'aria-current': c.conv === this.openConv ? 'true' : null,
      onclick: () => this.open(c.conv),
    },
    h('span', { class: `avatar ${c.kind}`, 'aria-hidden': 'true' }, initial(title), status ? h('span', { class: `dot ${status}` }) : null),
    h('span', { class: 'item-main' },
      h('span', { class: 'item-title' }, h('span', { class: 'name' }, title), last ? h('time', { datetime: new Date(last.ts).toISOString() }, formatTime(last.ts)) : null),
      h('span', { class: 'item-sub' },
        h('span', { class: `preview${typing.length ? ' typing' : ''}` }, typing.length ? t('typing', { name: typing.join(', ') }) : preview),
        unread ? h('span', { class: 'badge unread', 'aria-label': `${unread} unread` }, String(unread)) : null))));
  }

  private renderContacts(): void {
    const search = h('input', {
      id: 'people-search',
      type: 'search',
      placeholder: t('searchPeople'),
      'aria-label': t('searchPeople'),
      value: this.searchQuery,
      autocomplete: 'off',
      // Kept as it is typed: the list may be rebuilt (a presence change) between keystrokes.
      oninput: (e: Event) => {
        this.searchQuery = (e.target as HTMLInputElement).value;
      },
    });
    const form = h('form', {
      class: 'search',
      role: 'search',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        this.searchQuery = search.value;
        const query = this.searchQuery.trim();
        if (!query) {
          this.searchResults = null;
          this.renderLists();
          return;
        }
        try {
          this.searchResults = (await api.searchUsers(query)).users.filter((u) => u.userId !== this.chat.me.userId);
        } catch (err) {
          this.showToast((err as Error).message);
        }
        this.renderLists();
      },
    }, search, h('button', { type: 'submit', class: 'secondary' }, t('search')));

    const results = this.searchResults
      ? h('ul', { class: 'list results', 'aria-label': t('search') }, this.searchResults.map((u) => {
        const outgoing = this.chat.outgoing.some((r) => r.to === u.userId) || this.sentRequests.has(u.userId);
        const friend = this.chat.friends.has(u.userId);
        return h('li', { class: 'item static' },
          h('span', { class: 'avatar', 'aria-hidden': 'true' }, initial(u.displayName)),
          h('span', { class: 'item-main' }, h('span', { class: 'name' }, u.displayName), h('span', { class: 'item-sub' }, `@${u.username}`)),
          friend ? h('span', { class: 'tag' }, t('alreadyFriends'))
            : outgoing ? h('span', { class: 'tag' }, t('requestSent'))
              : h('button', {
                type: 'button',
                class: 'secondary small',
                'aria-label': `${t('addFriend')} ${u.displayName}`,
                onclick: async () => {
                  try {
                    await api.requestFriend(u.userId);
                    this.sentRequests.add(u.userId);
                    await this.chat.loadRequests();
                    await this.chat.loadFriends();
                  } catch (err) {
                    this.showToast((err as Error).message);
                  }
                  this.renderLists();
                },
              }, t('addFriend')));
      }))
      : null;

    const incoming = this.chat.incoming.length || this.chat.invitations.length
      ? h('section', { class: 'requests', 'aria-label': t('incomingRequests') },
        h('h2', null, t('incomingRequests')),
        h('ul', { class: 'list' },
          this.chat.incoming.map((r) => h('li', { class: 'item static request', 'data-request': r.id },
            h('span', { class: 'avatar', 'aria-hidden': 'true' }, initial(r.fromUser?.displayName ?? '?')),
            h('span', { class: 'item-main' },
              h('span', { class: 'name' }, r.fromUser?.displayName ?? r.from),
              h('span', { class: 'item-sub' }, r.note || `@${r.fromUser?.username ?? ''}`)),
            h('span', { class: 'actions' },
              h('button', { type: 'button', class: 'primary small', 'aria-label': `${t('accept')} ${r.fromUser?.displayName ?? ''}`, onclick: () => this.answer(r.id, 'accept') }, t('accept')),
              h('button', { type: 'button', class: 'secondary small', 'aria-label': `${t('decline')} ${r.fromUser?.displayName ?? ''}`, onclick: () => this.answer(r.id, 'decline') }, t('decline'))))),
          this.chat.invitations.map((inv) => h('li', { class: 'item static request' },
            h('span', { class: 'avatar group', 'aria-hidden': 'true' }, initial(inv.name)),
            h('span', { class: 'item-main' }, h('span', { class: 'name' }, inv.name), h('span', { class: 'item-sub' }, t('groupInvite', { name: this.chat.nameOf(inv.invitedBy) }))),
            h('span', { class: 'actions' },
              h('button', { type: 'button', class: 'primary small', onclick: () => this.answerInvite(inv.group, 'accept') }, t('accept')),
              h('button', { type: 'button', class: 'secondary small', onclick: () => this.answerInvite(inv.group, 'decline') }, t('decline')))))))
      : null;

    const byCategory = new Map<string, UserSummary[]>();
    for (const f of this.chat.friends.values()) {
      const key = f.category && this.chat.categories.some((c) => c.id === f.category) ? f.category : '';
      if (!byCategory.has(key)) byCategory.set(key, []);
      byCategory.get(key)!.push(f);
    }
    const order = (s?: string) => (s === 'online' ? 0 : s === 'busy' ? 1 : s === 'away' ? 2 : 3);
    const groups: [string, string][] = [['', t('defaultCategory')], ...this.chat.categories.map((c) => [c.id, c.name] as [string, string])];
    const friends = this.chat.friends.size
      ? groups.map(([id, name]) => {
        const list = (byCategory.get(id) ?? []).sort((a, b) => order(a.status) - order(b.status) || a.displayName.localeCompare(b.displayName));
        const online = list.filter((f) => f.status && f.status !== 'offline').length;
        return h('details', { class: 'category', open: true, 'data-category': id || 'default' },
          h('summary', null, name, h('span', { class: 'count' }, `${online}/${list.length}`)),
          h('ul', { class: 'list' }, list.map((f) => this.friendRow(f))));
      })
      : h('p', { class: 'empty' }, t('noFriends'));
    const blockedCount = this.chat.blocked.size;
    const tools = h('div', { class: 'contact-tools' },
      h('button', { type: 'button', class: 'secondary small', id: 'manage-categories', onclick: () => showCategories(this.chat, this.manageHooks) }, t('manageCategories')),
      h('button', { type: 'button', class: 'secondary small', id: 'show-blocked', onclick: () => showBlocked(this.chat, this.manageHooks) },
        t('blockedUsers'), blockedCount ? h('span', { class: 'count' }, ` (${blockedCount})`) : null));

    replace(this.panel, form, results, incoming, tools, h('section', { class: 'friends', 'aria-label': t('friends') }, friends));
  }

  private friendRow(f: UserSummary): HTMLElement {
    const status = f.status ?? 'offline';
    const blocked = this.chat.blocked.has(f.userId);
    return h('li', { class: 'friend-row' },
      h('button', {
        type: 'button',
        class: 'item friend',
        'data-user': f.username,
        onclick: () => this.open(directConv(this.chat.me.userId, f.userId)),
      },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, initial(f.displayName), h('span', { class: `dot ${status}` })),
      h('span', { class: 'item-main' },
        h('span', { class: 'item-title' }, h('span', { class: 'name' }, f.displayName),
          blocked ? h('span', { class: 'tag blocked' }, t('blockedTag')) : h('span', { class: `presence ${status}` }, t(status as Key))),
        h('span', { class: 'item-sub' }, f.statusMessage || `@${f.username}`))),
      h('button', {
        type: 'button',
        class: 'icon friend-more',
        id: `more-${f.userId}`,
        'data-user': f.username,
        'aria-label': t('friendActions', { name: f.displayName }),
        title: t('friendActions', { name: f.displayName }),
        'aria-haspopup': 'dialog',
        onclick: () => showFriend(this.chat, f.userId, this.manageHooks),
      }, '⋯'));
  }

  private readonly manageHooks: ManageHooks = {
    toast: (text) => this.showToast(text),
    open: (conv) => this.open(conv),
  };

  private async answer(id: string, answer: 'accept' | 'decline'): Promise<void> {
    try {
      await api.answerRequest(id, answer);
    } catch (err) {
      this.showToast((err as Error).message);
    }
    await Promise.allSettled([this.chat.loadRequests(), this.chat.loadFriends()]);
  }

  private async answerInvite(group: string, answer: 'accept' | 'decline'): Promise<void> {
    try {
      await api.answerInvitation(group, answer);
    } catch (err) {
      this.showToast((err as Error).message);
    }
    await Promise.allSettled([this.chat.loadRequests(), this.chat.loadGroups()]);
  }

  private renderGroups(): void {
    const list = [...this.chat.groups.values()].sort((a, b) => a.name.localeCompare(b.name));
    replace(this.panel,
      h('div', { class: 'panel-actions' }, h('button', { type: 'button', class: 'primary', id: 'new-group', onclick: () => this.showNewGroup() }, `＋ ${t('newGroup')}`)),
      list.length
        ? h('ul', { class: 'list', 'aria-label': t('groups') }, list.map((g) => h('li', null, h('button', {
          type: 'button',
          class: `item${this.openConv === `g-${g.id}` ? ' active' : ''}`,
          'data-group': g.id,
          onclick: () => this.open(`g-${g.id}`),
        }, h('span', { class: 'avatar group', 'aria-hidden': 'true' }, initial(g.name)), h('span', { class: 'item-main' }, h('span', { class: 'name' }, g.name))))))
        : h('p', { class: 'empty' }, t('noGroups')));
  }

  // ---- the pane ------------------------------------------------------------------------------

  open(conv: string): void {
    const wasOpen = this.openConv;
    this.openConv = conv;
    this.chat.ensureConv(conv);
    if (!wasOpen) history.pushState({ conv }, '');
    else history.replaceState({ conv }, '');
    this.renderPane();
    this.renderLists();
  }

  private closeConv(): void {
    this.openConv = null;
    this.renderPane();
    this.renderLists();
  }

  private renderPane(): void {
    this.chatView?.destroy();
    this.chatView = null;
    const shell = this.root.querySelector('.shell') as HTMLElement;
    if (!this.openConv) {
      shell.dataset.view = 'list';
      replace(this.pane, h('div', { class: 'pane-empty' }, h('img', { src: '/favicon.svg', alt: '', width: 64, height: 64 }), h('p', null, t('chooseConversation'))));
      return;
    }
    shell.dataset.view = 'chat';
    this.chatView = new ChatView(this.pane, this.chat, this.openConv, {
      back: () => history.state?.conv ? history.back() : this.closeConv(),
      members: (groupId) => void showMembers(this.chat, groupId, { ...this.manageHooks, left: () => this.closeConv() }),
      toast: (text) => this.showToast(text),
    });
  }

  // ---- dialogs -------------------------------------------------------------------------------

  private dialog(title: string, body: (close: () => void) => (Node | null)[], opts: { id?: string; dismissable?: boolean } = {}): HTMLDialogElement {
    return openDialog(title, body, opts).dialog;
  }

  private showKicked(): void {
    document.getElementById('kicked-dialog')?.remove();
    this.dialog(t('kickedTitle'), (close) => [
      h('p', null, t('kickedText')),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => { close(); this.signOut(); } }, t('signOut')),
        h('button', { type: 'button', class: 'primary', id: 'sign-in-here', onclick: () => { close(); this.chat.link.restart(); } }, t('signInHere'))),
    ], { id: 'kicked-dialog', dismissable: false });
  }

  private showNewGroup(): void {
    const name = h('input', { id: 'group-name', required: true, maxlength: 64, autocomplete: 'off' });
    const friends = [...this.chat.friends.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
    const checks = friends.map((f) => h('input', { type: 'checkbox', value: f.userId, id: `pick-${f.userId}` }));
    this.dialog(t('newGroup'), (close) => [h('form', {
      class: 'stack',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const picked = checks.filter((c) => c.checked).map((c) => c.value);
        try {
          const id = await this.chat.createGroup(name.value.trim(), picked);
          close();
          this.tab = 'groups';
          this.open(`g-${id}`);
        } catch (err) {
          this.showToast((err as Error).message);
        }
      },
    },
    h('label', { for: 'group-name' }, t('groupName')), name,
    friends.length ? h('fieldset', { class: 'picker' }, h('legend', null, t('invite')),
      friends.map((f, i) => h('label', { class: 'check', for: `pick-${f.userId}`, 'data-user': f.username }, checks[i], f.displayName))) : null,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'secondary', onclick: close }, t('cancel')),
      h('button', { type: 'submit', class: 'primary' }, t('create'))))], { id: 'new-group-dialog' });
    name.focus();
  }

  private showSettings(): void {
    const me = this.chat.me;
    const langSelect = h('select', { id: 'lang-select' },
      h('option', { value: 'auto', selected: chosenLang() === 'auto' }, t('languageAuto')),
      h('option', { value: 'zh-CN', selected: chosenLang() === 'zh-CN' }, '简体中文'),
      h('option', { value: 'en', selected: chosenLang() === 'en' }, 'English'));
    const displayName = h('input', { id: 'set-display', maxlength: 64, value: me.displayName });
    const statusMessage = h('input', { id: 'set-status', maxlength: 140, value: me.statusMessage, placeholder: t('statusMessagePlaceholder') });
    const badge = h('input', { type: 'checkbox', id: 'set-badge', checked: me.publicPresence });
    const snippetText = () => `<a href="${location.origin}/"><img src="${location.origin}/api/presence/${me.username}.svg" alt="Parley: ${me.username}"></a>`;
    const snippet = h('textarea', { id: 'badge-snippet', readonly: true, rows: 3, 'aria-label': t('embedSnippet') });
    snippet.value = snippetText();
    const preview = h('img', { alt: '', class: 'badge-preview' });
    const badgeBox = h('div', { class: 'badge-box', hidden: !me.publicPresence }, h('p', null, t('embedSnippet')), snippet, preview);
    const refreshPreview = () => {
      preview.src = `/api/presence/${encodeURIComponent(me.username)}.svg?t=${Date.now()}`;
    };
    if (me.publicPresence) refreshPreview();
    const notifState = notificationState();
    const notif = h('div', { class: 'row' },
      notifState === 'granted' ? h('span', null, t('notificationsOn'))
        : notifState === 'denied' ? h('span', null, t('notificationsBlocked'))
          : notifState === 'unsupported' ? null
            : h('button', { type: 'button', class: 'secondary', onclick: async (e: Event) => {
              const result = await askForNotifications();
              (e.target as HTMLElement).replaceWith(h('span', null, result === 'granted' ? t('notificationsOn') : t('notificationsBlocked')));
            } }, t('enableNotifications')));

    this.dialog(t('settings'), (close) => [h('form', {
      class: 'stack',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        try {
          const updated = await api.updateMe({ displayName: displayName.value.trim(), statusMessage: statusMessage.value.trim(), publicPresence: badge.checked });
          this.chat.me = updated;
          this.chat.people.set(updated.userId, { displayName: updated.displayName, username: updated.username });
          this.showToast(t('saved'));
          close();
          this.renderTop();
        } catch (err) {
          this.showToast(err instanceof ApiError ? err.message : t('errorGeneric'));
        }
      },
    },
    h('label', { for: 'lang-select' }, t('language')), langSelect,
    h('label', { for: 'set-display' }, t('displayName')), displayName,
    h('label', { for: 'set-status' }, t('statusMessage')), statusMessage,
    h('label', { class: 'check', for: 'set-badge' }, badge, t('publicBadge')),
    h('small', { class: 'hint' }, t('publicBadgeHelp')),
    badgeBox,
    h('label', null, t('notifications')), notif,
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'danger', id: 'sign-out', onclick: () => { close(); this.signOut(); } }, t('signOut')),
      h('button', { type: 'submit', class: 'primary' }, t('save'))))], { id: 'settings-dialog' });

    langSelect.addEventListener('change', () => {
      setLang(langSelect.value as any);
      document.getElementById('settings-dialog')?.remove();
      this.renderTop();
      this.renderLists();
      this.renderPane();
      this.showSettings();
    });
    badge.addEventListener('change', async () => {
      badgeBox.hidden = !badge.checked;
      try {
        this.chat.me = await api.updateMe({ publicPresence: badge.checked });
        refreshPreview();
      } catch (err) {
        this.showToast((err as Error).message);
      }
    });
  }

  private toastTimer: number | undefined;
  private showToast(text: string): void {
    this.toast.textContent = text;
    this.toast.classList.add('show');
    clearTimeout(this.toastTimer);
    this.toastTimer = window.setTimeout(() => this.toast.classList.remove('show'), 4000);
  }
}

export function initial(name: string): string {
  const first = [...(name || '?').trim()][0] ?? '?';
  return first.toUpperCase();
}
