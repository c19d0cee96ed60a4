/**
 * Incidents tab: the incidents (open first, newest first) with their state, drone and each step's
 * time, kept live by the stream's `incident` events; a click selects one and flies the map to it.
 * Operators report an incident at a point clicked on the map (kind, priority, note, 1–2 drones),
 * seeing the dispatcher's candidates for that point first (GET /api/dispatch/candidates), and close
 * one with an outcome. Below, the parking advisory queue with its steps.
 */
import type { ApiClient } from '../api/client.ts';
import type { DispatchCandidates, Incident, Role } from '../api/types.ts';
import { t, tMaybe } from '../i18n/index.ts';
import { INCIDENT_COLORS } from '../map/colors.ts';
import type { ConsoleStore } from '../state/store.ts';
import { confirmDialog } from './confirm.ts';
import { fill, h, raw } from './dom.ts';
import { errorView } from './error.ts';
import { field, numberInput, settle, type Pending } from './form.ts';
import { distanceText, durationText, timeText } from './format.ts';

export const INCIDENT_KINDS = ['fight', 'crash', 'crowd', 'fire', 'lost-person', 'traffic', 'other'] as const;
const OUTCOMES = ['resolved', 'handed-to-ground-unit', 'false-alarm', 'cancelled'] as const;
const STEPS = ['reported', 'dispatched', 'airborne', 'on-scene', 'released'] as const;
const SHOWN = 50;

export interface IncidentsHost {
  api: ApiClient;
  store: ConsoleStore;
  role: () => Role;
  pickPoint: () => Promise<{ lat: number; lon: number } | null>;
  cancelPick: () => void;
  /** Show the point being reported on the map (null: none). */
  showPoint: (p: { lat: number; lon: number } | null) => void;
  flyTo: (lon: number, lat: number) => void;
  /** The selected incident changed (the map rings it). */
  selected: () => void;
}

interface Draft {
  at: { lat: number; lon: number };
  kind: string;
  priority: number;
  note: string;
  drones: number;
  candidates: Pending<DispatchCandidates>;
  sent: Pending<Incident> | null;
}

export function incidentKindLabel(kind: string): string | HTMLElement {
  return tMaybe(`ikind.${kind}`) ?? raw(kind);
}

export function incidentStateLabel(state: string): string | HTMLElement {
  return tMaybe(`incstate.${state}`) ?? raw(state);
}

export function priorityText(p: number): string {
  return t('inc.priorityN', { n: p });
}

/** Open first, newest first. */
export function sortIncidents(list: Iterable<Incident>): Incident[] {
  return [...list].sort((a, b) => Number(a.state === 'released') - Number(b.state === 'released') || b.reportedAt.localeCompare(a.reportedAt));
}

/** Seconds from the report to the first drone on scene (null: not yet). */
export function reportToScene(i: Incident): number | null {
  const onScene = i.steps.find((s) => s.state === 'on-scene')?.at;
  return onScene ? (Date.parse(onScene) - Date.parse(i.reportedAt)) / 1000 : null;
}

export class IncidentsPanel {
  readonly el = h('section', { class: 'panel incidents', 'data-test': 'incidents' });
  private readonly formEl = h('div', { class: 'incident-form' });
  private readonly listEl = h('div', { 'data-test': 'incident-list' });
  private readonly advisoriesEl = h('div', { 'data-test': 'advisory-queue' });
  private draft: Draft | null = null;
  private picking = false;
  selectedId: string | null = null;
  private readonly closing = new Map<string, { outcome: string; sent: Pending<Incident> | null }>();

  constructor(private readonly host: IncidentsHost) {
    this.el.append(h('h2', {}, t('inc.title')), this.formEl, this.listEl, this.advisoriesEl);
  }

  render(): void {
    (this.el.firstChild as HTMLElement).textContent = t('inc.title');
    this.renderForm();
    this.renderList();
    this.renderAdvisories();
  }

  private operator(): boolean {
    return this.host.role() !== 'viewer';
  }

  private renderForm(): void {
    if (!this.operator()) { fill(this.formEl, h('p', { class: 'muted', 'data-test': 'viewer-note' }, t('inc.viewerNote'))); return; }
    if (this.picking) {
      fill(this.formEl, h('p', { class: 'hint', 'data-test': 'incident-pick-hint' }, t('inc.pickHint')),
        h('button', { type: 'button', 'data-command': 'incident-pick-cancel', onclick: () => this.host.cancelPick() }, t('inc.cancel')));
      return;
    }
    const d = this.draft;
    if (!d) { fill(this.formEl, h('button', { type: 'button', class: 'primary', 'data-command': 'incident-report', onclick: () => void this.startReport() }, t('inc.report'))); return; }
    const kind = h('select', { 'data-test': 'incident-kind', onchange: (e: Event) => { d.kind = (e.target as HTMLSelectElement).value; } },
      ...INCIDENT_KINDS.map((k) => h('option', { value: k, selected: k === d.kind }, t(`ikind.${k}`))));
    const priority = h('select', { 'data-test': 'incident-priority', onchange: (e: Event) => { d.priority = Number((e.target as HTMLSelectElement).value); } },
      ...[1, 2, 3, 4, 5].map((p) => h('option', { value: p, selected: p === d.priority }, t(`inc.priority.${p}` as 'inc.priority.1'))));
    const note = h('textarea', { rows: 2, 'data-test': 'incident-note', maxlength: 1000, oninput: (e: Event) => { d.note = (e.target as HTMLTextAreaElement).value; } });
    note.value = d.note;
    fill(this.formEl,
      h('h3', {}, t('inc.newTitle')),
      h('p', { class: 'muted', 'data-test': 'incident-where' }, t('inc.where', { lat: d.at.lat.toFixed(5), lon: d.at.lon.toFixed(5) })),
      h('div', { class: 'row' }, field(t('inc.kind'), kind), field(t('inc.priority'), priority),
        field(t('inc.drones'), numberInput({ value: d.drones, min: 1, max: 2, test: 'incident-drones', set: (n) => { d.drones = n; } }))),
      field(t('inc.note'), note),
      this.candidatesView(d),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', 'data-command': 'incident-submit', disabled: d.sent?.kind === 'sending', onclick: () => void this.submit() }, t('inc.submit')),
        h('button', { type: 'button', 'data-command': 'incident-discard', onclick: () => this.discard() }, t('inc.cancel'))),
      d.sent?.kind === 'error' ? errorView(t('inc.submit'), d.sent.error) : d.sent?.kind === 'sending' ? h('p', { class: 'muted' }, t('inc.sending')) : null);
  }

  private candidatesView(d: Draft): HTMLElement {
    const c = d.candidates;
    const callsign = (id: string) => raw(this.host.store.drones.get(id)?.callsign ?? id);
    if (c.kind === 'sending') return h('p', { class: 'muted' }, t('inc.loadingCandidates'));
    if (c.kind === 'error') return errorView(t('inc.candidates'), c.error);
    return h('div', { class: 'candidates', 'data-test': 'incident-candidates' },
      h('h3', {}, t('inc.candidates')),
      c.value.candidates.length === 0 ? h('p', { class: 'error' }, t('inc.noCandidates')) :
        h('ol', {}, ...c.value.candidates.slice(0, 5).map((x, n) => h('li', { 'data-drone': x.droneId, class: n < d.drones ? 'chosen' : '' },
          callsign(x.droneId), ' ', t('inc.candidate', { eta: durationText(x.etaS), dist: distanceText(x.distanceM), pct: Math.round(x.batteryNeededPct) }),
          x.airborne ? ` · ${t('inc.airborne')}` : ''))),
      c.value.rejected.length ? h('details', {}, h('summary', {}, t('inc.rejected', { n: c.value.rejected.length })),
        h('ul', { class: 'rejected' }, ...c.value.rejected.map((r) => h('li', { 'data-drone': r.droneId }, callsign(r.droneId), ' ', raw(r.reason))))) : null);
  }

  private async startReport(): Promise<void> {
    this.picking = true;
    this.renderForm();
    const at = await this.host.pickPoint();
    this.picking = false;
    if (!at) { this.renderForm(); return; }
    const draft: Draft = { at, kind: 'fight', priority: 2, note: '', drones: 1, candidates: { kind: 'sending' }, sent: null };
    this.draft = draft;
    this.host.showPoint(at);
    this.renderForm();
    draft.candidates = await settle(this.host.api.get<DispatchCandidates>(`/api/dispatch/candidates?lat=${at.lat}&lon=${at.lon}`));
    if (this.draft === draft) this.renderForm();
  }

  private discard(): void {
    this.draft = null;
    this.host.showPoint(null);
    this.renderForm();
  }

  private async submit(): Promise<void> {
    const d = this.draft;
    if (!d) return;
    const kind = t(`ikind.${d.kind}` as 'ikind.fight');
    const ok = await confirmDialog(t('confirm.report', { kind, p: priorityText(d.priority), lat: d.at.lat.toFixed(5), lon: d.at.lon.toFixed(5), n: d.drones }));
    if (!ok || this.draft !== d) return;
    d.sent = { kind: 'sending' };
    this.renderForm();
    d.sent = await settle(this.host.api.post<Incident>('/api/incidents', { lat: d.at.lat, lon: d.at.lon, kind: d.kind, priority: d.priority, drones: d.drones, ...(d.note.trim() ? { note: d.note.trim() } : {}) }));
    if (d.sent.kind === 'done') {
      const incident = d.sent.value;
      // the list may already have it from the stream; the answer is as fresh
      this.host.store.incidents.set(incident.id, incident);
      this.host.store.mark('incidents');
      this.selectedId = incident.id;
      this.draft = null;
      this.host.showPoint(null);
      this.host.selected();
    }
    this.render();
  }

  select(i: Incident): void {
    this.selectedId = i.id;
    this.host.flyTo(i.lon, i.lat);
    this.host.selected();
    this.renderList();
  }

  renderList(): void {
    const list = sortIncidents(this.host.store.incidents.values()).slice(0, SHOWN);
    const open = list.filter((i) => i.state !== 'released').length;
    fill(this.listEl,
      h('h3', {}, t('inc.listTitle'), ' ', h('span', { class: 'muted' }, t('inc.openCount', { n: open }))),
      list.length === 0 ? h('p', { class: 'muted' }, t('inc.none')) :
        h('ul', { class: 'cases' }, ...list.map((i) => this.incidentItem(i))));
  }

  private incidentItem(i: Incident): HTMLElement {
    const color = INCIDENT_COLORS[i.state] ?? '#b71c1c';
    const elapsed = reportToScene(i);
    const drones = i.responders.length ? i.responders.map((r) => r.droneId) : i.droneId ? [i.droneId] : [];
    const stepAt = (s: string) => i.steps.find((x) => x.state === s)?.at;
    return h('li', { class: `case${i.id === this.selectedId ? ' selected' : ''}${i.state === 'released' ? ' closed' : ''}`, 'data-incident': i.id, 'data-state': i.state, onclick: () => this.select(i) },
      h('div', { class: 'case-head' },
        h('span', { class: 'badge', style: `--c:${color}` }, incidentStateLabel(i.state)), ' ',
        h('strong', {}, incidentKindLabel(i.kind)), ' ',
        h('span', { class: i.priority <= 2 ? 'prio urgent' : 'prio' }, priorityText(i.priority)), ' ',
        drones.length ? h('span', { 'data-test': 'incident-drone' }, t('inc.drone'), ' ', ...drones.flatMap((id, n) => [n ? ', ' : '', raw(this.host.store.drones.get(id)?.callsign ?? id)])) : null),
      h('ol', { class: 'steps' }, ...STEPS.map((s) => {
        const at = stepAt(s);
        return h('li', { class: at ? 'done' : '', 'data-step': s }, t(`incstate.${s}`), ' ', h('time', {}, at ? timeText(at) : '–'));
      })),
      h('div', { class: 'muted', 'data-test': 'incident-elapsed' }, elapsed === null ? t('inc.notYet') : t('inc.elapsed', { t: durationText(elapsed) })),
      i.note ? h('div', {}, raw(i.note)) : null,
      i.reason && i.state !== 'released' ? h('div', { class: 'error' }, t('inc.reason'), raw(i.reason)) : null,
      i.outcome ? h('div', { 'data-test': 'incident-outcome-done' }, t('inc.outcomeIs', { o: t(`outcome.${i.outcome}` as 'outcome.resolved') })) : null,
      i.state !== 'released' && this.operator() ? this.closeView(i) : null);
  }

  private closeView(i: Incident): HTMLElement {
    const c = this.closing.get(i.id) ?? { outcome: 'resolved', sent: null };
    this.closing.set(i.id, c);
    const stop = (e: Event) => e.stopPropagation();
    return h('div', { class: 'row', onclick: stop },
      field(t('inc.outcome'), h('select', { 'data-test': 'incident-outcome', onchange: (e: Event) => { c.outcome = (e.target as HTMLSelectElement).value; } },
        ...OUTCOMES.map((o) => h('option', { value: o, selected: o === c.outcome }, t(`outcome.${o}`))))),
      h('button', { type: 'button', 'data-command': 'incident-close', disabled: c.sent?.kind === 'sending', onclick: () => void this.close(i, c) }, t('inc.close')),
      c.sent?.kind === 'error' ? errorView(t('inc.close'), c.sent.error) : null);
  }

  private async close(i: Incident, c: { outcome: string; sent: Pending<Incident> | null }): Promise<void> {
    if (!(await confirmDialog(t('confirm.close', { outcome: t(`outcome.${c.outcome}` as 'outcome.resolved') })))) return;
    c.sent = { kind: 'sending' };
    this.renderList();
    c.sent = await settle(this.host.api.post<Incident>(`/api/incidents/${encodeURIComponent(i.id)}/close`, { outcome: c.outcome }));
    if (c.sent.kind === 'done') { this.host.store.incidents.set(i.id, c.sent.value); this.host.store.mark('incidents'); this.closing.delete(i.id); }
    this.renderList();
  }

  renderAdvisories(): void {
    const list = [...this.host.store.advisories.values()].sort((a, b) => Number(isClosedAdvisory(a.state)) - Number(isClosedAdvisory(b.state)) || (b.steps?.[0]?.at ?? '').localeCompare(a.steps?.[0]?.at ?? '')).slice(0, SHOWN);
    fill(this.advisoriesEl,
      h('h3', {}, t('adv.title')),
      list.length === 0 ? h('p', { class: 'muted' }, t('adv.none')) :
        h('ul', { class: 'cases' }, ...list.map((a) => h('li', { class: `case${isClosedAdvisory(a.state) ? ' closed' : ''}`, 'data-advisory': a.id, 'data-state': a.state, onclick: () => this.host.flyTo(a.lon, a.lat) },
          h('div', { class: 'case-head' },
            h('span', { class: 'badge', style: `--c:${a.state === 'complied' ? '#12a150' : a.state === 'escalated' ? '#7b1fa2' : '#c2185b'}` }, tMaybe(`advstate.${a.state}`) ?? raw(a.state)), ' ',
            a.trackId ? raw(a.trackId) : null, ' ',
            a.droneId ? h('span', {}, t('inc.drone'), ' ', raw(this.host.store.drones.get(a.droneId)?.callsign ?? a.droneId)) : null),
          h('ol', { class: 'steps' }, ...(a.steps ?? []).map((s) => h('li', { class: 'done', 'data-step': s.state }, tMaybe(`advstate.${s.state}`) ?? raw(s.state), ' ', h('time', {}, timeText(s.at)))))))));
  }
}

function isClosedAdvisory(state: string): boolean {
  return state === 'complied' || state === 'escalated' || state === 'released';
}
