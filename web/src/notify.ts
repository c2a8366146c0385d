// Attention: the title flashes while the page is in the background, and a desktop notification
// is shown when the person allowed them.

import { t } from './i18n';

const baseTitle = 'Parley';
let unseen = 0;
let timer: number | undefined;
let flip = false;

function stopFlash(): void {
  unseen = 0;
  if (timer !== undefined) clearInterval(timer);
  timer = undefined;
  document.title = baseTitle;
}

addEventListener('focus', stopFlash);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) stopFlash();
});

export function pageIsActive(): boolean {
  return !document.hidden && document.hasFocus();
}

export function announce(title: string, body: string, onClick?: () => void): void {
  if (pageIsActive()) return;
  unseen++;
  if (timer === undefined) {
    timer = window.setInterval(() => {
      flip = !flip;
      document.title = flip ? t('newMessages', { n: unseen }) : baseTitle;
    }, 1000);
    document.title = t('newMessages', { n: unseen });
  }
  if ('Notification' in window && Notification.permission === 'granted') {
    try {
      const n = new Notification(title, { body, tag: 'parley', icon: '/favicon.svg' });
      n.onclick = () => {
        window.focus();
        onClick?.();
        n.close();
      };
    } catch {
      /* some browsers only allow notifications from a service worker */
    }
  }
}

export function notificationState(): 'unsupported' | NotificationPermission {
  return 'Notification' in window ? Notification.permission : 'unsupported';
}

export async function askForNotifications(): Promise<NotificationPermission | 'unsupported'> {
  if (!('Notification' in window)) return 'unsupported';
  return Notification.requestPermission();
}
