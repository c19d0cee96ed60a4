/** Login with a token (the URL printed by `npm start` carries one and skips this). */
import { ApiClient, ApiError } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { currentLang, onLangChange, setLang, t } from '../i18n/index.ts';
import { h } from './dom.ts';

export type LoginProblem = 'invalid' | 'unreachable' | null;

export function showLogin(root: HTMLElement, problem: LoginProblem, onLoggedIn: (token: string, me: Me) => void): () => void {
  let messageKey: LoginProblem | 'checking' = problem;
  let value = '';
  const render = () => {
    const message = messageKey === 'invalid' ? t('login.invalid') : messageKey === 'unreachable' ? t('login.unreachable') : messageKey === 'checking' ? t('login.checking') : null;
    const input = h('input', { id: 'login-token', type: 'password', autocomplete: 'off', value, oninput: (e: Event) => { value = (e.target as HTMLInputElement).value; } });
    const form = h('form', { class: 'login-box', onsubmit: (e: Event) => { e.preventDefault(); void submit(); } },
      h('div', { class: 'login-head' },
        h('h1', {}, t('app.short')),
        langButton()),
      h('h2', {}, t('login.title')),
      h('p', { class: 'muted' }, t('login.hint')),
      h('label', { for: 'login-token' }, t('login.token')),
      input,
      message ? h('p', { class: messageKey === 'checking' ? 'muted' : 'error', 'data-test': 'login-message' }, message) : null,
      h('button', { class: 'primary', type: 'submit', 'data-test': 'login-submit' }, t('login.submit')));
    root.replaceChildren(h('div', { class: 'login' }, form));
  };
  const submit = async () => {
    const token = value.trim();
    if (!token) return;
    messageKey = 'checking';
    render();
    try {
      const me = await new ApiClient(token).get<Me>('/api/me');
      off();
      onLoggedIn(token, me);
    } catch (err) {
      messageKey = err instanceof ApiError && err.status === 401 ? 'invalid' : 'unreachable';
      render();
    }
  };
  const off = onLangChange(render);
  render();
  return off;
}

/** The language switch: names the other language, in that language (marked with its lang). */
export function langButton(): HTMLButtonElement {
  const other = currentLang() === 'zh-CN' ? 'en' : 'zh-CN';
  return h('button', { type: 'button', class: 'lang', lang: other, title: t('lang.switchTitle'), 'data-test': 'lang-switch', onclick: () => setLang(other) }, t('lang.switch'));
}
