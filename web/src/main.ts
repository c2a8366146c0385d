import './styles.css';
import { api, setToken, type Me } from './api';
import { renderAuth } from './auth';
import { Chat } from './chat';
import { h, replace } from './dom';
import { t } from './i18n';
import { Shell } from './shell';

const root = document.getElementById('app')!;
// ?transport=long-polling (or callback-polling, websocket) pins the Bayeux transport.
const forcedTransport = new URLSearchParams(location.search).get('transport');

let chat: Chat | null = null;
let shell: Shell | null = null;

function start(me: Me, token: string | null): void {
  chat = new Chat(me, token, forcedTransport);
  shell = new Shell(root, chat, signOut);
  (window as any).parley = chat; // handy in the console and for the browser tests
}

async function signOut(): Promise<void> {
  shell?.destroy();
  chat?.stop();
  shell = null;
  chat = null;
  setToken(null);
  try {
    await api.logout();
  } catch {
    /* the cookie is gone either way */
  }
  showAuth();
}

function showAuth(): void {
  renderAuth(root, async (signed) => {
    try {
      const me = await api.me();
      start(me, signed.token);
    } catch {
      showAuth();
    }
  });
}

async function boot(): Promise<void> {
  replace(root, h('div', { class: 'splash' }, t('connecting')));
  try {
    // The HttpOnly cookie from an earlier sign-in, if any, signs this page in.
    const me = await api.me();
    start(me, null);
  } catch {
    showAuth();
  }
}

void boot();
