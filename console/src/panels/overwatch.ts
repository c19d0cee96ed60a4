/**
 * Overwatch of an event: draw the venue, click the points of interest, set the event window (now →
 * +2 h by default), the altitude and the airframe (cruise speed, endurance, battery swap); preview (POST /api/plans, kind overwatch, from the demo base):
 * the stations and their coverage footprints on the map, the figures, and the relief schedule as a
 * timeline; run it with chosen drones after a confirmation (POST /api/plans/:id/run) and follow the
 * run (GET /api/plans/:id/run every 2 s: who holds each station, covered or not); stop it (DELETE).
 */
import type { Position } from 'geojson';
import type { ApiClient } from '../api/client.ts';
import type { Plan, Role, RunStatus } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import type { MapAdapter } from '../map/adapter.ts';
import { DEMO_CENTER } from '../map/demo-scene.ts';
import { DrawTool } from '../map/draw.ts';
import { boundsOf } from '../map/geo.ts';
import { overwatchFeatures } from '../map/plan-features.ts';
import type { ToolSlot } from '../map/tools.ts';
import { droneState, type ConsoleStore } from '../state/store.ts';
import { confirmDialog } from './confirm.ts';
import { fill, h } from './dom.ts';
import { AirframeForm } from './airframe.ts';
import { DronePicker } from './drone-picker.ts';
import { errorView } from './error.ts';
import { field, numberInput, settle, type Pending } from './form.ts';
import { planFigures } from './plan-figures.ts';
import { runStatusView } from './run-status.ts';
import { clockText } from './format.ts';
import { timeline } from './timeline.ts';

const WINDOW_H = 2;
const POLL_MS = 2000;
const LAUNCH_LEAD_MS = 3000;

export interface OverwatchHost {
  api: ApiClient;
  store: ConsoleStore;
  role: () => Role;
  map: () => MapAdapter | null;
  tools: ToolSlot;
}

/** "14:05" → the next such time from now on (today, or tomorrow when it is more than an hour past). */
export function nextTimeMs(hhmm: string, nowMs: number): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  const d = new Date(nowMs);
  d.setHours(Number(m[1]), Number(m[2]), 0, 0);
  if (d.getTime() < nowMs - 3600_000) d.setDate(d.getDate() + 1);
  return d.getTime();
}

export class OverwatchPanel {
  readonly el = h('section', { class: 'panel overwatch', 'data-test': 'overwatch' });
  private readonly resultEl = h('div', {});
  private readonly runEl = h('div', { class: 'run' });
  private venue: Position[] | null = null;
  private pois: Position[] = [];
  private tool: { draw: DrawTool; what: 'venue' | 'pois' } | null = null;
  /** The window: a start time of day (HH:MM, 24-hour) and a length in hours. */
  private start = '';
  private hours = WINDOW_H;
  private altitude = 40;
  /** The airframe the stations and the schedule are planned for. */
  private readonly airframe = new AirframeForm();
  private preview: Pending<Plan> | null = null;
  /** The window the previewed plan was made for (ISO). */
  private planned: { start: string; end: string } | null = null;
  private run: Pending<RunStatus> | null = null;
  private poll: ReturnType<typeof setTimeout> | null = null;
  private readonly picker: DronePicker;

  constructor(private readonly host: OverwatchHost) {
    this.picker = new DronePicker(host.store, 'run-drones');
  }

  render(): void {
    if (this.host.role() === 'viewer') {
      this.el.replaceChildren(h('h2', {}, t('ow.title')), h('p', { class: 'muted', 'data-test': 'viewer-note' }, t('ow.viewerNote')));
      return;
    }
    if (!this.start) this.start = clockText(Date.now());
    const drawing = this.tool !== null && this.host.tools.active === this.tool.draw;
    const toolButtons = drawing ? [
      h('button', { type: 'button', class: 'primary', 'data-command': 'ow-draw-finish', disabled: !this.tool!.draw.canFinish(), onclick: () => this.tool?.draw.finish() }, t('draw.finish')),
      h('button', { type: 'button', 'data-command': 'ow-draw-undo', disabled: this.tool!.draw.vertices.length === 0, onclick: () => this.tool?.draw.undo() }, t('draw.undo')),
      h('button', { type: 'button', 'data-command': 'ow-draw-cancel', onclick: () => this.tool?.draw.cancel() }, t('draw.cancel')),
    ] : [
      h('button', { type: 'button', 'data-command': 'ow-venue', onclick: () => this.startDrawing('venue') }, t('ow.drawVenue')),
      h('button', { type: 'button', 'data-command': 'ow-pois', onclick: () => this.startDrawing('pois') }, t('ow.placePois')),
    ];
    const shape = drawing ? t(this.tool!.what === 'venue' ? 'draw.hint.polygon' : 'ow.poisHint')
      : t('ow.shape', { corners: this.venue?.length ?? 0, pois: this.pois.length });
    this.el.replaceChildren(
      h('h2', {}, t('ow.title')),
      h('div', { class: 'row' }, ...toolButtons),
      h('p', { class: drawing ? 'hint' : 'muted', 'data-test': 'ow-shape' }, shape),
      h('div', { class: 'row' },
        field(t('ow.start'), h('input', { type: 'text', value: this.start, size: 5, pattern: '\\d{1,2}:\\d{2}', inputmode: 'numeric', 'data-test': 'ow-start',
          oninput: (e: Event) => { this.start = (e.target as HTMLInputElement).value; this.renderPreviewButton(); } })),
        field(t('ow.hours'), numberInput({ value: this.hours, min: 0.5, max: 24, step: 0.5, test: 'ow-hours', set: (n) => { this.hours = n; } }))),
      h('div', { class: 'row' },
        field(t('plan.altitude'), numberInput({ value: this.altitude, min: 10, max: 120, test: 'ow-altitude', set: (n) => { this.altitude = n; } })),
        h('p', { class: 'muted' }, t('ow.baseNote'))),
      h('h3', {}, t('ow.airframe')),
      this.airframe.view(() => this.renderPreviewButton()),
      h('div', { class: 'row', 'data-test': 'ow-preview-row' }),
      this.resultEl,
      this.runEl);
    this.renderPreviewButton();
    this.renderResult();
    this.renderRun();
  }

  private renderPreviewButton(): void {
    const row = this.el.querySelector<HTMLElement>('[data-test=ow-preview-row]');
    if (!row) return;
    const drawing = this.tool !== null && this.host.tools.active === this.tool.draw;
    const ready = this.venue !== null && this.pois.length > 0 && !drawing && this.preview?.kind !== 'sending' && nextTimeMs(this.start, Date.now()) !== null && this.airframe.value() !== null;
    row.replaceChildren(h('button', { type: 'button', class: 'primary', 'data-command': 'ow-preview', disabled: !ready, onclick: () => void this.runPreview() }, t('plan.preview')));
  }

  private renderResult(): void {
    const p = this.preview;
    if (!p) { this.resultEl.replaceChildren(); return; }
    if (p.kind === 'sending') { this.resultEl.replaceChildren(h('p', { class: 'muted' }, t('plan.previewing'))); return; }
    if (p.kind === 'error') { this.resultEl.replaceChildren(errorView(t('plan.preview'), p.error, (id) => this.host.store.zoneNames.get(id))); return; }
    this.resultEl.replaceChildren(h('div', { 'data-test': 'ow-result', 'data-plan': p.value.id }, planFigures(p.value)), this.timeline(p.value));
  }

  private timeline(plan: Plan): HTMLElement {
    const windowStart = Date.parse(String(this.planned?.start));
    const firstLaunch = Math.min(...(plan.schedule ?? []).map((e) => Date.parse(e.launchAt ?? e.from)));
    const r = this.run?.kind === 'done' ? this.run.value : null;
    return timeline({
      stations: plan.stations ?? [], schedule: plan.schedule ?? [],
      window: { startMs: Math.min(windowStart, firstLaunch), endMs: Date.parse(String(this.planned?.end)) },
      // a run started "now" is shifted against the plan: its now, on the plan's clock
      nowMs: r?.state === 'running' ? Date.parse(r.now) - r.shiftS * 1000 : null,
    });
  }

  private renderRun(): void {
    if (this.preview?.kind !== 'done') { this.runEl.replaceChildren(); return; }
    const plan = this.preview.value;
    const r = this.run;
    const running = r?.kind === 'done' && r.value.state === 'running';
    fill(this.runEl,
      h('h3', {}, t('run.title')),
      running ? null : h('p', { class: 'muted' }, t('run.hint', { n: plan.fleetSize ?? 1 })),
      running ? null : this.picker.render(() => this.renderRunButtons()),
      h('div', { class: 'row', 'data-test': 'run-buttons' }),
      r?.kind === 'done' ? runStatusView(r.value, plan.stations ?? [], this.host.store)
        : r?.kind === 'error' ? errorView(t('run.start'), r.error)
          : r?.kind === 'sending' ? h('p', { class: 'muted' }, t('cmd.sending')) : null);
    this.renderRunButtons();
  }

  private renderRunButtons(): void {
    const row = this.runEl.querySelector<HTMLElement>('[data-test=run-buttons]');
    if (!row) return;
    const r = this.run;
    const running = r?.kind === 'done' && r.value.state === 'running';
    row.replaceChildren(running
      ? h('button', { type: 'button', 'data-command': 'ow-stop', onclick: () => void this.stopRun() }, t('run.stop'))
      : h('button', { type: 'button', class: 'primary', 'data-command': 'ow-run', disabled: this.picker.ids().length === 0 || r?.kind === 'sending', onclick: () => void this.startRun() }, t('run.start')));
  }

  private startDrawing(what: 'venue' | 'pois'): void {
    const draw = new DrawTool({
      mode: what === 'venue' ? 'polygon' : 'points', slot: this.host.tools, map: this.host.map,
      onChange: () => { if (this.host.tools.active !== draw) this.tool = null; this.render(); },
      onDone: (vertices) => {
        this.tool = null;
        if (what === 'venue') this.venue = vertices; else this.pois = vertices;
        this.preview = null;
        this.drawMap();
        this.render();
      },
    });
    this.tool = { draw, what };
    if (what === 'pois') this.pois = [];
    this.drawMap();
    this.render();
  }

  private request(): Record<string, unknown> & { window: { start: string; end: string } } {
    const v = this.venue!;
    const startMs = nextTimeMs(this.start, Date.now())!;
    return {
      kind: 'overwatch', altitudeM: this.altitude, airframe: this.airframe.value()!,
      venue: { type: 'Polygon', coordinates: [[...v, v[0]!]] },
      pois: this.pois.map(([lon, lat]) => ({ lat, lon })),
      window: { start: new Date(startMs).toISOString(), end: new Date(startMs + this.hours * 3600_000).toISOString() },
      bases: [{ lat: DEMO_CENTER.lat, lon: DEMO_CENTER.lon }],
    };
  }

  private async runPreview(): Promise<void> {
    this.stopPolling();
    this.preview = { kind: 'sending' };
    this.run = null;
    this.render();
    const request = this.request();
    this.preview = await settle(this.host.api.post<Plan>('/api/plans', request));
    if (this.preview.kind === 'done') {
      this.planned = request.window;
      // the first drones ready on the ground fly the schedule's slots
      const ready = [...this.host.store.drones.values()].filter((d) => droneState(d) === 'ground').sort((a, b) => a.callsign.localeCompare(b.callsign, 'en', { numeric: true }));
      this.picker.choose(ready.slice(0, this.preview.value.fleetSize ?? 1).map((d) => d.id));
    }
    this.drawMap(true);
    this.render();
  }

  private async startRun(): Promise<void> {
    if (this.preview?.kind !== 'done') return;
    const plan = this.preview.value;
    const ids = this.picker.ids();
    const names = ids.map((id) => this.host.store.drones.get(id)?.callsign ?? id).join(', ');
    if (!(await confirmDialog(t('confirm.run', { n: ids.length, ids: names })))) return;
    // a schedule whose first launch has passed (the default window starts now) is shifted so that
    // the first drone leaves a few seconds after the confirmation
    const firstLaunch = Math.min(...(plan.schedule ?? []).map((e) => Date.parse(e.launchAt ?? e.from)));
    const late = Date.now() + LAUNCH_LEAD_MS - firstLaunch;
    const startAt = late > 0 ? { startAt: new Date(Date.parse(String(this.planned?.start)) + late).toISOString() } : {};
    await this.track(() => this.host.api.post<RunStatus>(`/api/plans/${encodeURIComponent(plan.id)}/run`, { droneIds: ids, ...startAt }), true);
  }

  private async stopRun(): Promise<void> {
    if (this.preview?.kind !== 'done') return;
    const plan = this.preview.value;
    if (!(await confirmDialog(t('confirm.stopRun')))) return;
    await this.track(() => this.host.api.del<RunStatus>(`/api/plans/${encodeURIComponent(plan.id)}/run`), true);
  }

  /** Send, show the run's status, and keep polling it while it runs. */
  private async track(call: () => Promise<RunStatus>, showSending: boolean): Promise<void> {
    this.stopPolling();
    if (showSending) { this.run = { kind: 'sending' }; this.renderRun(); }
    this.run = await settle(call());
    this.renderRun();
    this.renderResult();
    const planId = this.preview?.kind === 'done' ? this.preview.value.id : null;
    if (planId && this.run.kind === 'done' && this.run.value.state === 'running') {
      this.poll = setTimeout(() => void this.track(() => this.host.api.get<RunStatus>(`/api/plans/${encodeURIComponent(planId)}/run`), false), POLL_MS);
    }
  }

  private stopPolling(): void {
    if (this.poll) clearTimeout(this.poll);
    this.poll = null;
  }

  private drawMap(fit = false): void {
    const map = this.host.map();
    if (!map) return;
    const stations = this.preview?.kind === 'done' ? this.preview.value.stations ?? [] : [];
    map.setData('overwatch', overwatchFeatures(this.venue, this.pois, stations));
    const box = fit && this.venue ? boundsOf([...this.venue, ...stations.map((s) => [s.lon, s.lat])]) : null;
    if (box) map.fitBounds(box);
  }
}
