// Modal dialogs: the native <dialog> (focus is trapped inside, Escape closes it) with a title, a
// close button, and focus given back to whatever had it when the dialog opened.

import { h } from './dom';
import { t } from './i18n';

export interface DialogOptions {
  id?: string;
  dismissable?: boolean;
  /** Called once, however the dialog closes. */
  onClose?: () => void;
}

export interface OpenDialog {
  dialog: HTMLDialogElement;
  close(): void;
  setTitle(title: string): void;
}

export function openDialog(title: string, body: (close: () => void) => (Node | null)[], opts: DialogOptions = {}): OpenDialog {
  const id = opts.id ?? 'dlg';
  const previous = document.activeElement as HTMLElement | null;
  const previousId = previous?.id;
  const dialog = h('dialog', { class: 'dialog', id: opts.id, 'aria-labelledby': `${id}-title` });
  const heading = h('h2', { id: `${id}-title` }, title);
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    dialog.close();
    dialog.remove();
    opts.onClose?.();
    // Back to where the person was; a list rebuilt meanwhile has the same control under the same id.
    const back = previous?.isConnected ? previous : previousId ? document.getElementById(previousId) : null;
    back?.focus();
  };
  const dismissable = opts.dismissable !== false;
  dialog.append(
    h('header', null, heading,
      dismissable ? h('button', { type: 'button', class: 'icon', 'aria-label': t('close'), onclick: close }, '✕') : null),
    ...body(close).filter((n): n is Node => n !== null));
  dialog.addEventListener('cancel', (e) => {
    e.preventDefault();
    if (dismissable) close();
  });
  document.body.append(dialog);
  dialog.showModal();
  return { dialog, close, setTitle: (text) => { heading.textContent = text; } };
}

/** Asks before something that cannot be undone; resolves true when confirmed. Cancel has the focus. */
export function confirmAction(text: string, okLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    let answer = false;
    const cancel = h('button', { type: 'button', class: 'secondary', id: 'confirm-cancel' }, t('cancel'));
    openDialog(t('confirm'), (close) => {
      cancel.addEventListener('click', close);
      return [
        h('p', { id: 'confirm-text' }, text),
        h('div', { class: 'dialog-actions' },
          cancel,
          h('button', { type: 'button', class: 'danger', id: 'confirm-ok', onclick: () => { answer = true; close(); } }, okLabel)),
      ];
    }, { id: 'confirm-dialog', onClose: () => resolve(answer) });
    cancel.focus();
  });
}

/**
 * Rebuilds a container, keeping the focus on the element with the same id (or data-focus-key)
 * when there is one again, so keyboard users stay where they were across a live update.
 */
export function rebuild(container: HTMLElement, build: () => (Node | null)[]): void {
  const focused = document.activeElement as HTMLElement | null;
  const key = focused && container.contains(focused) ? focused.id || focused.dataset.focusKey || null : null;
  container.replaceChildren(...build().filter((n): n is Node => n !== null));
  if (key) {
    const again = container.querySelector<HTMLElement>(`[id="${CSS.escape(key)}"], [data-focus-key="${CSS.escape(key)}"]`);
    (again ?? container.querySelector<HTMLElement>('button, input, select'))?.focus();
  }
}
