// The sign-in and registration screen.

import { api, ApiError, setToken, type SignedIn } from './api';
import { h, replace } from './dom';
import { lang, setLang, t } from './i18n';

export function renderAuth(root: HTMLElement, onSignedIn: (s: SignedIn) => void, mode: 'signin' | 'register' = 'signin'): void {
  const error = h('p', { class: 'form-error', role: 'alert', 'aria-live': 'assertive' });
  const username = h('input', { id: 'auth-username', name: 'username', autocomplete: 'username', required: true, minlength: 3, maxlength: 32, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'auth-password', name: 'password', type: 'password', required: true, minlength: 8, maxlength: 128, autocomplete: mode === 'signin' ? 'current-password' : 'new-password' });
  const displayName = h('input', { id: 'auth-display', name: 'displayName', maxlength: 64, autocomplete: 'nickname' });
  const submit = h('button', { type: 'submit', class: 'primary wide' }, mode === 'signin' ? t('signIn') : t('register'));

  const form = h('form', {
    class: 'auth-form',
    'aria-label': mode === 'signin' ? t('signIn') : t('register'),
    onsubmit: async (e: Event) => {
      e.preventDefault();
      error.textContent = '';
      submit.disabled = true;
      try {
        const signed = mode === 'signin'
          ? await api.login(username.value.trim(), password.value)
          : await api.register(username.value.trim(), password.value, displayName.value.trim());
        setToken(signed.token);
        onSignedIn(signed);
      } catch (err) {
        error.textContent = err instanceof ApiError ? err.message : t('errorGeneric');
        submit.disabled = false;
      }
    },
  },
  h('label', { for: 'auth-username' }, t('username')), username,
  mode === 'register' ? h('small', { class: 'hint' }, t('usernameHint')) : null,
  mode === 'register' ? [h('label', { for: 'auth-display' }, t('displayName')), displayName] : null,
  h('label', { for: 'auth-password' }, t('password')), password,
  mode === 'register' ? h('small', { class: 'hint' }, t('passwordHint')) : null,
  error,
  submit,
  h('button', { type: 'button', class: 'link', onclick: () => renderAuth(root, onSignedIn, mode === 'signin' ? 'register' : 'signin') },
    mode === 'signin' ? t('noAccount') : t('haveAccount')));

  const langSelect = h('select', {
    'aria-label': t('language'),
    onchange: (e: Event) => {
      setLang((e.target as HTMLSelectElement).value as any);
      renderAuth(root, onSignedIn, mode);
    },
  }, h('option', { value: 'en', selected: lang() === 'en' }, 'English'), h('option', { value: 'zh-CN', selected: lang() === 'zh-CN' }, '简体中文'));

  replace(root, h('main', { class: 'auth' },
    h('div', { class: 'auth-card' },
      h('div', { class: 'brand' }, h('img', { src: '/favicon.svg', alt: '', width: 40, height: 40 }), h('h1', null, t('appName'))),
      h('p', { class: 'tagline' }, t('tagline')),
      form,
      h('div', { class: 'auth-lang' }, langSelect))));
  username.focus();
}
