/** zh-CN (default) and English; every visible string goes through t(). */
import { en } from './en.ts';
import { zhCN, type MessageKey } from './zh-CN.ts';

export type Lang = 'zh-CN' | 'en';
export type { MessageKey };

const DICTS: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'eagle-lang';
const listeners = new Set<() => void>();

function initialLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'zh-CN') return fromUrl;
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'zh-CN';
}

let lang: Lang = initialLang();

export function currentLang(): Lang {
  return lang;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = DICTS[lang][key];
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? ''));
}

/** t() for a key built at run time (mode names, states): undefined when there is no such message. */
export function tMaybe(key: string, params: Record<string, string | number> = {}): string | undefined {
  return key in DICTS[lang] ? t(key as MessageKey, params) : undefined;
}

export function setLang(next: Lang): void {
  if (next === lang) return;
  lang = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next;
  document.title = t('app.title');
  for (const fn of listeners) fn();
}

export function onLangChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function applyDocumentLang(): void {
  document.documentElement.lang = lang;
  document.title = t('app.title');
}
