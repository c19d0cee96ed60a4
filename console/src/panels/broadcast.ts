/**
 * Speak from the selected drone's loudspeaker (operators and admins): a template from
 * GET /api/broadcast-templates with its parameters, or free text; the language spoken (zh-CN or
 * en), volume and repeats; a confirmation; then POST /api/drones/:id/broadcasts and the broadcast's
 * state as the stream's `broadcast` events report it (queued → playing → done | failed | stopped).
 */
import type { ApiClient, ApiError } from '../api/client.ts';
import type { BroadcastTemplate, Drone } from '../api/types.ts';
import { currentLang, t, tMaybe, type Lang } from '../i18n/index.ts';
import type { ConsoleStore } from '../state/store.ts';
import { confirmDialog } from './confirm.ts';
import { fill, h, raw } from './dom.ts';
import { errorParts } from './error.ts';
import { field, numberInput, settle } from './form.ts';

/** The template list's choice for free text (not a template id). */
const FREE_TEXT = '*text';

type Result = { kind: 'sending' } | { kind: 'sent'; id: string; state: string } | { kind: 'error'; error: ApiError };

export class BroadcastForm {
  readonly el = h('div', { class: 'broadcast', 'data-test': 'broadcast' });
  private templates: BroadcastTemplate[] | null = null;
  private loadError: string | null = null;
  private template = 'parking-advisory';
  private params: Record<string, string> = {};
  private text = '';
  private lang: Lang = currentLang();
  private volume = 80;
  private repeat = 1;
  private result: Result | null = null;
  private readonly resultEl = h('div', { class: 'result', 'aria-live': 'polite', 'data-test': 'broadcast-result' });

  constructor(private readonly api: ApiClient, private readonly store: ConsoleStore, private readonly drone: () => Drone | null) {}

  /** The selected drone changed: the last result belonged to the other one. */
  reset(): void {
    this.result = null;
  }

  render(): void {
    if (!this.templates && !this.loadError) void this.loadTemplates();
    const tpl = this.templates?.find((x) => x.id === this.template) ?? null;
    const templateSelect = h('select', { 'data-test': 'broadcast-template', onchange: (e: Event) => { this.template = (e.target as HTMLSelectElement).value; this.params = {}; this.render(); } },
      ...(this.templates ?? []).map((x) => h('option', { value: x.id, selected: x.id === this.template }, x.title[currentLang()] ?? x.id)),
      h('option', { value: FREE_TEXT, selected: this.template === FREE_TEXT }, t('bc.freeText')));
    const paramInputs = tpl ? tpl.params.map((p) => field(tMaybe(`bcparam.${p.name}`) ?? p.name,
      // the value is spoken in the loudspeaker's language (and so is the default shown as placeholder)
      h('input', { type: 'text', maxlength: 40, lang: this.lang, value: this.params[p.name] ?? '', placeholder: p.default?.[this.lang] ?? '', 'data-param': p.name,
        oninput: (e: Event) => { this.params[p.name] = (e.target as HTMLInputElement).value; this.renderPreview(); } }))) : [];
    const textInput = this.template === FREE_TEXT ? field(t('bc.text'), h('textarea', { rows: 3, maxlength: 1000, lang: this.lang, 'data-test': 'broadcast-text',
      oninput: (e: Event) => { this.text = (e.target as HTMLTextAreaElement).value; this.renderSend(); } }, this.text)) : null;
    const langSelect = h('select', { 'data-test': 'broadcast-lang', onchange: (e: Event) => { this.lang = (e.target as HTMLSelectElement).value as Lang; this.render(); } },
      h('option', { value: 'zh-CN', selected: this.lang === 'zh-CN' }, t('bc.lang.zh')),
      h('option', { value: 'en', selected: this.lang === 'en' }, t('bc.lang.en')));
    fill(this.el,
      h('h3', {}, t('bc.title')),
      this.loadError ? h('p', { class: 'error' }, t('bc.templatesFailed')) : null,
      field(t('bc.template'), templateSelect),
      ...paramInputs,
      textInput ?? '',
      h('div', { class: 'row' },
        field(t('bc.lang'), langSelect),
        field(t('bc.volume'), numberInput({ value: this.volume, min: 0, max: 100, test: 'broadcast-volume', set: (n) => { this.volume = Math.round(n); } })),
        field(t('bc.repeat'), numberInput({ value: this.repeat, min: 1, max: 10, test: 'broadcast-repeat', set: (n) => { this.repeat = Math.round(n); } }))),
      h('p', { class: 'preview', 'data-test': 'broadcast-preview' }),
      h('div', { class: 'row', 'data-test': 'broadcast-send-row' }),
      this.resultEl);
    this.renderPreview();
    this.renderSend();
    this.renderResult();
  }

  /** A `broadcast` event arrived: the result line follows the broadcast's state. */
  renderResult(): void {
    const r = this.result;
    if (r?.kind === 'sent') {
      const mark = this.store.broadcasts.get(r.id);
      if (mark) r.state = mark.state;
    }
    this.resultEl.className = 'result';
    delete this.resultEl.dataset.state;
    this.resultEl.replaceChildren();
    if (!r) return;
    if (r.kind === 'sending') { this.resultEl.append(t('cmd.sending')); return; }
    if (r.kind === 'error') { this.resultEl.classList.add('error'); this.resultEl.append(...errorParts(t('bc.send'), r.error)); return; }
    const failed = r.state === 'failed' || r.state === 'stopped';
    this.resultEl.classList.add(failed ? 'error' : 'accepted');
    this.resultEl.dataset.state = r.state;
    const reason = this.store.broadcasts.get(r.id)?.reason;
    this.resultEl.append(t('bc.state', { state: tMaybe(`bcstate.${r.state}`) ?? r.state }));
    if (reason) this.resultEl.append(' ', t('err.reason'), raw(reason));
  }

  private renderPreview(): void {
    const el = this.el.querySelector<HTMLElement>('[data-test=broadcast-preview]');
    if (!el) return;
    const tpl = this.templates?.find((x) => x.id === this.template);
    const pattern = tpl?.text[this.lang];
    // the words as they will be spoken, in the language chosen for the loudspeaker (marked as such)
    el.replaceChildren();
    if (!tpl || !pattern) return;
    const text = pattern.replace(/\{(\w+)\}/g, (_m, name: string) => this.params[name]?.trim() || tpl.params.find((p) => p.name === name)?.default?.[this.lang] || `{${name}}`);
    el.append(h('span', { class: 'muted' }, t('bc.preview')), ' ', h('q', { lang: this.lang }, text));
  }

  private renderSend(): void {
    const row = this.el.querySelector<HTMLElement>('[data-test=broadcast-send-row]');
    if (!row) return;
    const ready = this.template === FREE_TEXT ? this.text.trim().length > 0 : this.templates !== null;
    row.replaceChildren(h('button', { type: 'button', class: 'primary', 'data-command': 'broadcast', disabled: !ready || this.result?.kind === 'sending', onclick: () => void this.send() }, t('bc.send')));
  }

  private async loadTemplates(): Promise<void> {
    try {
      this.templates = (await this.api.get<{ templates: BroadcastTemplate[] }>('/api/broadcast-templates')).templates;
      if (!this.templates.some((x) => x.id === this.template)) this.template = this.templates[0]?.id ?? FREE_TEXT;
    } catch {
      this.loadError = 'failed';
      this.template = FREE_TEXT;
    }
    this.render();
  }

  private async send(): Promise<void> {
    const d = this.drone();
    if (!d) return;
    const free = this.template === FREE_TEXT;
    const params = Object.fromEntries(Object.entries(this.params).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v));
    const body = { ...(free ? { text: this.text.trim() } : { template: this.template, params }), lang: this.lang, volume: this.volume, repeat: this.repeat };
    const question = free ? t('confirm.broadcastText', { id: d.callsign }) : t('confirm.broadcast', { id: d.callsign });
    if (!(await confirmDialog(question))) return;
    this.result = { kind: 'sending' };
    this.renderSend();
    this.renderResult();
    const sent = await settle(this.api.post<{ id: string; state: string }>(`/api/drones/${encodeURIComponent(d.id)}/broadcasts`, body));
    this.result = sent.kind === 'done' ? { kind: 'sent', id: sent.value.id, state: sent.value.state } : sent;
    this.renderSend();
    this.renderResult();
  }
}
