// The dialogs that manage people: a friend (message, category, block, remove), the categories
// (分组), the blocked list, and a group's members with their roles. Each stays live while open:
// it is rebuilt when what it shows changes (a presence, an event from another device), keeping
// what the person is typing and where the focus is. The server decides every permission; the
// dialogs only offer what the person's role allows.

import type { GroupDetail, Member } from './api';
import { directConv, type Chat } from './chat';
import { confirmAction, openDialog, rebuild, type OpenDialog } from './dialogs';
import { coalesce, h } from './dom';
import { t, type Key } from './i18n';
import { initial } from './shell';

export interface ManageHooks {
  toast(text: string): void;
  open(conv: string): void;
}

type Role = 'member' | 'admin' | 'owner';
const RANK: Record<string, number> = { member: 0, admin: 1, owner: 2 };

/** Keeps body in step with the chat while the dialog is open; signature() says whether it changed. */
function live(chat: Chat, dlg: OpenDialog, body: HTMLElement, signature: () => string | null, build: () => (Node | null)[]): () => void {
  let last = '';
  const render = () => {
    const sig = signature();
    if (sig === null) {
      dlg.close();
      return;
    }
    if (sig === last) return;
    last = sig;
    rebuild(body, build);
  };
  const stop = chat.on(coalesce(render));
  render();
  if (!dlg.dialog.isConnected) stop(); // closed at once: nothing to keep in step
  return stop;
}

async function act(hooks: ManageHooks, work: () => Promise<unknown>, done?: string): Promise<boolean> {
  try {
    await work();
    if (done) hooks.toast(done);
    return true;
  } catch (err) {
    hooks.toast((err as Error).message || t('errorGeneric'));
    return false;
  }
}

// ---- a friend ------------------------------------------------------------------------------

export function showFriend(chat: Chat, userId: string, hooks: ManageHooks): void {
  const body = h('div', { class: 'dialog-body' });
  let stop = () => {};
  let moveDraft: string | null = null;
  const dlg = openDialog(chat.nameOf(userId), () => [body], { id: 'friend-dialog', onClose: () => stop() });
  stop = live(chat, dlg, body, () => {
    const f = chat.friends.get(userId);
    if (!f) return null;
    dlg.setTitle(f.displayName);
    return JSON.stringify([f, chat.blocked.has(userId), chat.categories]);
  }, () => {
    const f = chat.friends.get(userId)!;
    const status = f.status ?? 'offline';
    const blocked = chat.blocked.has(userId);
    const current = f.category && chat.categories.some((c) => c.id === f.category) ? f.category : '';
    const select = h('select', { id: 'friend-category', onchange: (e: Event) => { moveDraft = (e.target as HTMLSelectElement).value; } },
      h('option', { value: '' }, t('defaultCategory')),
      chat.categories.map((c) => h('option', { value: c.id }, c.name)));
    select.value = moveDraft ?? current;
    return [
      h('div', { class: 'profile' },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, initial(f.displayName), h('span', { class: `dot ${status}` })),
        h('div', { class: 'item-main' },
          h('span', { class: 'item-sub' }, `@${f.username}`),
          h('span', { class: `presence ${status}` }, t(status as Key)),
          f.statusMessage ? h('span', { class: 'status-message' }, f.statusMessage) : null),
        blocked ? h('span', { class: 'tag blocked' }, t('blockedTag')) : null),
      h('div', { class: 'row' },
        h('button', {
          type: 'button', class: 'primary', id: 'friend-message',
          onclick: () => { dlg.close(); hooks.open(directConv(chat.me.userId, userId)); },
        }, t('message'))),
      h('form', {
        class: 'row', id: 'friend-move-form',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const target = select.value || null;
          const name = target ? chat.categories.find((c) => c.id === target)?.name ?? '' : t('defaultCategory');
          if (await act(hooks, () => chat.moveFriend(userId, target), t('movedTo', { name }))) moveDraft = null;
        },
      }, h('label', { for: 'friend-category' }, t('moveTo')), select, h('button', { type: 'submit', class: 'secondary', id: 'friend-move' }, t('move'))),
      h('div', { class: 'dialog-actions' },
        h('button', {
          type: 'button', class: 'secondary', id: 'friend-block',
          onclick: () => blocked
            ? act(hooks, () => chat.unblock(userId), t('unblockedDone', { name: f.displayName }))
            : act(hooks, () => chat.block(userId), t('blockedDone', { name: f.displayName })),
        }, blocked ? t('unblock') : t('block')),
        h('button', {
          type: 'button', class: 'danger', id: 'friend-remove',
          onclick: async () => {
            if (!(await confirmAction(t('removeFriendConfirm', { name: f.displayName }), t('removeFriend')))) return;
            // The list reloads without them, which closes this dialog.
            await act(hooks, () => chat.removeFriend(userId), t('removedFriend', { name: f.displayName }));
          },
        }, t('removeFriend'))),
    ];
  });
}

// ---- categories ----------------------------------------------------------------------------

export function showCategories(chat: Chat, hooks: ManageHooks): void {
  const body = h('div', { class: 'dialog-body' });
  const drafts = new Map<string, string>();
  let stop = () => {};
  const name = h('input', { id: 'new-category', maxlength: 64, autocomplete: 'off', required: true });
  const create = h('form', {
    class: 'stack', id: 'new-category-form',
    onsubmit: async (e: Event) => {
      e.preventDefault();
      const value = name.value.trim();
      if (!value) return;
      // Cleared only if it still holds what was sent (the person may have typed the next one).
      if (await act(hooks, () => chat.createCategory(value), t('saved')) && name.value.trim() === value) name.value = '';
      name.focus();
    },
  },
  h('label', { for: 'new-category' }, t('categoryName')),
  h('div', { class: 'row tight' }, name, h('button', { type: 'submit', class: 'primary', id: 'create-category' }, t('create'))));
  const dlg = openDialog(t('categories'), (close) => [
    body,
    create,
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'secondary', onclick: close }, t('close'))),
  ], { id: 'categories-dialog', onClose: () => stop() });
  stop = live(chat, dlg, body, () => {
    const counts = chat.categories.map((c) => [...chat.friends.values()].filter((f) => f.category === c.id).length);
    return JSON.stringify([chat.categories, counts]);
  }, () => {
    if (!chat.categories.length) return [h('p', { class: 'empty' }, t('noCategories'))];
    return [h('ul', { class: 'list cat-list', 'aria-label': t('categories') }, chat.categories.map((c) => {
      const count = [...chat.friends.values()].filter((f) => f.category === c.id).length;
      const input = h('input', {
        id: `cat-name-${c.id}`, maxlength: 64, autocomplete: 'off', required: true,
        'aria-label': `${t('categoryName')}: ${c.name}`,
        oninput: (e: Event) => drafts.set(c.id, (e.target as HTMLInputElement).value),
      });
      input.value = drafts.get(c.id) ?? c.name;
      return h('li', { 'data-category': c.id },
        h('form', {
          class: 'cat-row',
          onsubmit: async (e: Event) => {
            e.preventDefault();
            const value = input.value.trim();
            if (!value || value === c.name) return;
            if (await act(hooks, () => chat.renameCategory(c.id, value), t('renamed'))) drafts.delete(c.id);
          },
        },
        input,
        h('span', { class: 'count', title: t('friends') }, `${count}`),
        h('button', { type: 'submit', class: 'secondary small', id: `cat-rename-${c.id}`, 'aria-label': `${t('rename')}: ${c.name}` }, t('rename')),
        h('button', {
          type: 'button', class: 'danger small', id: `cat-delete-${c.id}`, 'aria-label': `${t('delete')}: ${c.name}`,
          onclick: async () => {
            if (!(await confirmAction(t('deleteCategoryConfirm', { name: c.name, fallback: t('defaultCategory') }), t('delete')))) return;
            await act(hooks, () => chat.deleteCategory(c.id));
            name.focus();
          },
        }, t('delete'))));
    }))];
  });
}

// ---- blocked people ------------------------------------------------------------------------

export function showBlocked(chat: Chat, hooks: ManageHooks): void {
  const body = h('div', { class: 'dialog-body' });
  let stop = () => {};
  const dlg = openDialog(t('blockedTitle'), (close) => [
    h('p', { class: 'hint' }, t('blockHelp')),
    body,
    h('div', { class: 'dialog-actions' }, h('button', { type: 'button', class: 'secondary', onclick: close }, t('close'))),
  ], { id: 'blocked-dialog', onClose: () => stop() });
  const people = () => [...chat.blocked].map((id) => ({ id, ...(chat.people.get(id) ?? { displayName: id, username: '' }) }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  stop = live(chat, dlg, body, () => JSON.stringify(people()), () => {
    const list = people();
    if (!list.length) return [h('p', { class: 'empty' }, t('noBlocked'))];
    return [h('ul', { class: 'list', 'aria-label': t('blockedTitle') }, list.map((p) => h('li', { class: 'item static', 'data-user': p.username },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, initial(p.displayName)),
      h('span', { class: 'item-main' }, h('span', { class: 'name' }, p.displayName), p.username ? h('span', { class: 'item-sub' }, `@${p.username}`) : null),
      h('button', {
        type: 'button', class: 'secondary small', id: `unblock-${p.id}`, 'aria-label': `${t('unblock')}: ${p.displayName}`,
        onclick: () => act(hooks, () => chat.unblock(p.id), t('unblockedDone', { name: p.displayName })),
      }, t('unblock')))))];
  });
}

// ---- a group's members ---------------------------------------------------------------------

export interface MembersHooks extends ManageHooks {
  /** The person left the group. */
  left(): void;
}

export async function showMembers(chat: Chat, groupId: string, hooks: MembersHooks): Promise<void> {
  let detail: GroupDetail;
  try {
    detail = await chat.loadGroupDetail(groupId);
  } catch (err) {
    hooks.toast((err as Error).message);
    return;
  }
  const body = h('div', { class: 'dialog-body' });
  let stop = () => {};
  let renameDraft: string | null = null;
  let addDraft: string | null = null;
  const me = chat.me.userId;
  const title = (d: GroupDetail) => `${d.name} · ${t('members_n', { n: d.members.length })}`;
  const dlg = openDialog(title(detail), () => [body], { id: 'members-dialog', onClose: () => stop() });

  const setRole = (m: Member, role: Role) =>
    act(hooks, () => chat.setRole(groupId, m.userId, role), t('roleChanged', { name: m.displayName, role: t(role) }));

  stop = live(chat, dlg, body, () => {
    const d = chat.groupDetails.get(groupId);
    if (!d || !chat.groups.has(groupId) || !d.members.some((m) => m.userId === me)) return null;
    detail = d;
    dlg.setTitle(title(d));
    return JSON.stringify([d, [...chat.friends.keys()]]);
  }, () => {
    const d = detail;
    const mine = d.members.find((m) => m.userId === me)!;
    const myRank = RANK[mine.role] ?? 0;
    const isOwner = mine.role === 'owner';
    const canManage = myRank >= RANK.admin;
    const members = [...d.members].sort((a, b) => (RANK[b.role] ?? 0) - (RANK[a.role] ?? 0) || a.displayName.localeCompare(b.displayName));
    const inGroup = new Set(d.members.map((m) => m.userId));
    const candidates = [...chat.friends.values()].filter((f) => !inGroup.has(f.userId)).sort((a, b) => a.displayName.localeCompare(b.displayName));

    let rename: Node | null = null;
    if (canManage) {
      const input = h('input', { id: 'group-rename', maxlength: 64, autocomplete: 'off', required: true, oninput: (e: Event) => { renameDraft = (e.target as HTMLInputElement).value; } });
      input.value = renameDraft ?? d.name;
      rename = h('form', {
        class: 'stack', id: 'rename-group-form',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const value = input.value.trim();
          if (!value || value === d.name) return;
          if (await act(hooks, () => chat.renameGroup(groupId, value), t('renamed'))) renameDraft = null;
        },
      }, h('label', { for: 'group-rename' }, t('groupName')),
      h('div', { class: 'row tight' }, input, h('button', { type: 'submit', class: 'secondary', id: 'group-rename-submit', 'aria-label': t('renameGroup') }, t('rename'))));
    }

    const row = (m: Member) => {
      const self = m.userId === me;
      const actions: HTMLElement[] = [];
      if (isOwner && !self) {
        if (m.role === 'member') {
          actions.push(h('button', { type: 'button', class: 'secondary small', id: `member-${m.userId}-admin`, 'data-action': 'admin', 'aria-label': `${t('makeAdmin')}: ${m.displayName}`, onclick: () => setRole(m, 'admin') }, t('makeAdmin')));
        } else if (m.role === 'admin') {
          actions.push(h('button', { type: 'button', class: 'secondary small', id: `member-${m.userId}-admin`, 'data-action': 'member', 'aria-label': `${t('removeAdmin')}: ${m.displayName}`, onclick: () => setRole(m, 'member') }, t('removeAdmin')));
        }
        actions.push(h('button', {
          type: 'button', class: 'secondary small', id: `member-${m.userId}-owner`, 'data-action': 'owner', 'aria-label': `${t('makeOwner')}: ${m.displayName}`,
          onclick: async () => {
            if (await confirmAction(t('makeOwnerConfirm', { name: m.displayName }), t('makeOwner'))) await setRole(m, 'owner');
          },
        }, t('makeOwner')));
      }
      if (canManage && !self && (RANK[m.role] ?? 0) < myRank) {
        actions.push(h('button', {
          type: 'button', class: 'danger small', id: `member-${m.userId}-remove`, 'data-action': 'remove', 'aria-label': `${t('removeMember')}: ${m.displayName}`,
          onclick: async () => {
            if (await confirmAction(t('removeMemberConfirm', { name: m.displayName }), t('removeMember'))) await act(hooks, () => chat.removeMember(groupId, m.userId));
          },
        }, t('removeMember')));
      }
      return h('li', { class: 'item static member', 'data-user': m.username, 'data-role': m.role },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }, initial(m.displayName), h('span', { class: `dot ${m.status}` })),
        h('span', { class: 'item-main' },
          h('span', { class: 'name' }, m.displayName, self ? ` ${t('you_')}` : ''),
          h('span', { class: `item-sub presence ${m.status}` }, t((m.status || 'offline') as Key))),
        h('span', { class: `tag role ${m.role}` }, t((m.role || 'member') as Key)),
        actions.length ? h('div', { class: 'member-actions' }, actions) : null);
    };

    let add: Node | null = null;
    if (canManage && candidates.length) {
      const select = h('select', { id: 'invite-select', 'aria-label': t('invite'), onchange: (e: Event) => { addDraft = (e.target as HTMLSelectElement).value; } },
        candidates.map((f) => h('option', { value: f.userId }, f.displayName)));
      if (addDraft && candidates.some((f) => f.userId === addDraft)) select.value = addDraft;
      add = h('form', {
        class: 'row',
        onsubmit: async (e: Event) => {
          e.preventDefault();
          if (await act(hooks, () => chat.addMember(groupId, select.value))) addDraft = null;
        },
      }, select, h('button', { type: 'submit', class: 'primary', id: 'invite-submit' }, t('invite')));
    }

    return [
      rename,
      h('ul', { class: 'list members', 'aria-label': t('members') }, members.map(row)),
      add,
      h('div', { class: 'dialog-actions' },
        h('button', {
          type: 'button', class: 'danger', id: 'leave-group',
          onclick: async () => {
            if (!(await confirmAction(t('leaveConfirm'), t('leave')))) return;
            if (await act(hooks, () => chat.leaveGroup(groupId))) {
              dlg.close();
              hooks.left();
            }
          },
        }, t('leave')),
        h('button', { type: 'button', class: 'secondary', onclick: () => dlg.close() }, t('close'))),
    ];
  });
}
