/**
 * Response figures: GET /api/metrics/response (by day, week or all) as a table — per kind the
 * median and 90th percentile of report → dispatch and report → on scene, the ground unit's time and
 * the time drones save — and pre-positioning: GET /api/dispatch/prepositioning drawn on the map (a
 * line from each idle drone to its suggested wait point) with the expected improvement. For every role.
 */
import type { ApiClient } from '../api/client.ts';
import type { Prepositioning, ResponseFigures, ResponseRow, ResponseStats } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import type { ConsoleStore } from '../state/store.ts';
import { fill, h, raw } from './dom.ts';
import { errorView } from './error.ts';
import { field, settle, type Pending } from './form.ts';
import { distanceText, durationText } from './format.ts';
import { incidentKindLabel } from './incidents.ts';

type Period = 'day' | 'week' | 'all';
const DAYS = 28;

export interface FiguresHost {
  api: ApiClient;
  store: ConsoleStore;
  /** Draw the suggestions (null: clear them). */
  showPrepositioning: (p: Prepositioning | null) => void;
}

/** 80 s → "1 min 20 s"; null → "–". */
function s(v: number | null): string {
  return v === null ? '–' : durationText(v);
}

function stats(x: ResponseStats): string {
  return x.count === 0 ? '–' : t('fig.medP90', { m: s(x.medianS), p: s(x.p90S) });
}

/** 312 s → "5.2 min". */
export function minutesText(sec: number): string {
  return t('unit.min', { v: (sec / 60).toFixed(1) });
}

export class FiguresPanel {
  readonly el = h('section', { class: 'panel figures-tab', 'data-test': 'figures' });
  private period: Period = 'all';
  private figures: Pending<ResponseFigures> | null = null;
  private pre: Pending<Prepositioning> | null = null;

  constructor(private readonly host: FiguresHost) {}

  render(): void {
    if (this.figures === null) void this.load();
    const select = h('select', { 'data-test': 'figures-period', onchange: (e: Event) => { this.period = (e.target as HTMLSelectElement).value as Period; void this.load(); } },
      ...(['all', 'week', 'day'] as const).map((p) => h('option', { value: p, selected: p === this.period }, t(`fig.period.${p}`))));
    fill(this.el,
      h('h2', {}, t('fig.title')),
      h('div', { class: 'row' }, field(t('fig.period'), select),
        h('button', { type: 'button', 'data-test': 'figures-reload', onclick: () => void this.load() }, t('fig.reload'))),
      h('p', { class: 'muted' }, t('fig.hint', { days: DAYS })),
      this.tableView(),
      h('h3', {}, t('pre.title')),
      h('p', { class: 'muted' }, t('pre.hint', { days: DAYS })),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', 'data-test': 'preposition-fetch', disabled: this.pre?.kind === 'sending', onclick: () => void this.fetchPre() }, t('pre.fetch')),
        this.pre ? h('button', { type: 'button', 'data-test': 'preposition-clear', onclick: () => { this.pre = null; this.host.showPrepositioning(null); this.render(); } }, t('pre.clear')) : null),
      this.preView());
  }

  private async load(): Promise<void> {
    this.figures = { kind: 'sending' };
    const period = this.period;
    const result = await settle(this.host.api.get<ResponseFigures>(`/api/metrics/response?period=${period}&days=${DAYS}`));
    if (period !== this.period) return;
    this.figures = result;
    this.render();
  }

  private tableView(): HTMLElement {
    const f = this.figures;
    if (!f || f.kind === 'sending') return h('p', { class: 'muted' }, t('fig.loading'));
    if (f.kind === 'error') return errorView(t('fig.title'), f.error);
    const rows = f.value.rows;
    if (rows.length === 0) return h('p', { class: 'muted', 'data-test': 'figures-none' }, t('fig.none'));
    const showPeriod = this.period !== 'all';
    return h('table', { class: 'results figures-table', 'data-test': 'figures-table' },
      h('thead', {}, h('tr', {},
        showPeriod ? h('th', {}, t('fig.col.period')) : null,
        h('th', {}, t('fig.col.kind')), h('th', {}, t('fig.col.n')), h('th', {}, t('fig.col.dispatch')), h('th', {}, t('fig.col.scene')),
        h('th', {}, t('fig.col.ground')), h('th', {}, t('fig.col.saved')))),
      h('tbody', {}, ...rows.map((r) => this.row(r, showPeriod))));
  }

  private row(r: ResponseRow, showPeriod: boolean): HTMLElement {
    return h('tr', { 'data-kind': r.kind, 'data-period': r.period, class: r.kind === '*' ? 'total' : '' },
      showPeriod ? h('td', {}, r.period === 'all' ? t('fig.all') : raw(r.period)) : null,
      h('td', {}, r.kind === '*' ? t('fig.allKinds') : incidentKindLabel(r.kind)),
      h('td', {}, String(r.incidents)),
      h('td', { 'data-test': 'fig-dispatch' }, stats(r.reportToDispatch)),
      h('td', { 'data-test': 'fig-scene' }, stats(r.reportToOnScene)),
      h('td', {}, s(r.groundUnitS)),
      h('td', { 'data-test': 'fig-saved', class: r.savedS !== null && r.savedS > 0 ? 'ok' : '' },
        r.savedS === null ? '–' : r.savedS >= 0 ? t('fig.saved', { t: durationText(r.savedS) }) : t('fig.slower', { t: durationText(-r.savedS) })));
  }

  private async fetchPre(): Promise<void> {
    this.pre = { kind: 'sending' };
    this.render();
    this.pre = await settle(this.host.api.get<Prepositioning>(`/api/dispatch/prepositioning?days=${DAYS}`));
    this.host.showPrepositioning(this.pre.kind === 'done' ? this.pre.value : null);
    this.render();
  }

  private preView(): HTMLElement | null {
    const p = this.pre;
    if (!p) return null;
    if (p.kind === 'sending') return h('p', { class: 'muted' }, t('fig.loading'));
    if (p.kind === 'error') return errorView(t('pre.fetch'), p.error);
    const v = p.value;
    if (v.suggestions.length === 0) return h('p', { class: 'muted', 'data-test': 'preposition-result' }, t('pre.none'));
    return h('div', { 'data-test': 'preposition-result' },
      h('p', { class: 'figure-line', 'data-test': 'preposition-expected' }, h('strong', {}, t('pre.expected', { from: minutesText(v.expected.currentMeanS), to: minutesText(v.expected.suggestedMeanS) }))),
      h('p', { class: 'muted' }, t('pre.p90', { from: minutesText(v.expected.currentP90S), to: minutesText(v.expected.suggestedP90S) }), ' · ', t('pre.used', { n: v.incidentsUsed, d: v.idleDrones })),
      h('ul', { class: 'plans' }, ...v.suggestions.map((x) => h('li', { 'data-drone': x.droneId }, raw(this.host.store.drones.get(x.droneId)?.callsign ?? x.droneId), ' ', t('pre.move', { dist: distanceText(x.moveM) })))));
  }
}
