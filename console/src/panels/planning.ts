/**
 * Planning a patrol: draw a polygon (perimeter, coverage), a line (corridor) or stops (tour) on the
 * map; set the altitude and the kind's main option; preview (POST /api/plans: the route on the map,
 * its figures, or the airspace violation with its leg and zone); assign it to chosen drones after a
 * confirmation (POST /api/plans/:id/assign) and see each drone's result. Viewers see only the list
 * of stored plans.
 */
import type { Position } from 'geojson';
import type { ApiClient } from '../api/client.ts';
import type { Assignment, Plan, Role } from '../api/types.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { MapAdapter } from '../map/adapter.ts';
import { DEMO_CENTER } from '../map/demo-scene.ts';
import { DrawTool, type DrawMode } from '../map/draw.ts';
import { boundsOf } from '../map/geo.ts';
import { inputFeatures, planFeatures, planRoutes } from '../map/plan-features.ts';
import type { ToolSlot } from '../map/tools.ts';
import type { ConsoleStore } from '../state/store.ts';
import { assignPlan, assignResults } from './assign.ts';
import { confirmDialog } from './confirm.ts';
import { fill, h } from './dom.ts';
import { DronePicker } from './drone-picker.ts';
import { errorView } from './error.ts';
import { field, numberInput, settle, type Pending } from './form.ts';
import { planFigures } from './plan-figures.ts';
import type { PlansList } from './plans-list.ts';

export type PatternKind = 'coverage' | 'perimeter' | 'corridor' | 'tour';

/** Per kind: what is drawn and its main option (the request field, its label, default and bounds). */
const KINDS: Record<PatternKind, { draw: DrawMode; option: { field: string; label: MessageKey; value: number; min: number; max: number } }> = {
  coverage: { draw: 'polygon', option: { field: 'spacingM', label: 'plan.opt.spacingM', value: 20, min: 2, max: 500 } },
  perimeter: { draw: 'polygon', option: { field: 'offsetM', label: 'plan.opt.offsetM', value: 0, min: -200, max: 200 } },
  corridor: { draw: 'line', option: { field: 'offsetM', label: 'plan.opt.corridorOffsetM', value: 10, min: -200, max: 200 } },
  tour: { draw: 'points', option: { field: 'hoverS', label: 'plan.opt.hoverS', value: 5, min: 0, max: 600 } },
};

export interface PlanningHost {
  api: ApiClient;
  store: ConsoleStore;
  role: () => Role;
  map: () => MapAdapter | null;
  tools: ToolSlot;
  plans: PlansList;
}

export class PlanningPanel {
  readonly el = h('section', { class: 'panel planning', 'data-test': 'planning' });
  private kind: PatternKind = 'coverage';
  private vertices: Position[] | null = null;
  private draw: DrawTool | null = null;
  private altitude = 40;
  private readonly options: Record<PatternKind, number> = { coverage: KINDS.coverage.option.value, perimeter: KINDS.perimeter.option.value, corridor: KINDS.corridor.option.value, tour: KINDS.tour.option.value };
  private preview: Pending<Plan> | null = null;
  private assignment: Pending<Assignment[]> | null = null;
  private readonly picker: DronePicker;

  constructor(private readonly host: PlanningHost) {
    this.picker = new DronePicker(host.store, 'assign-drones');
  }

  render(): void {
    if (this.host.role() === 'viewer') {
      this.el.replaceChildren(h('h2', {}, t('plan.title')), h('p', { class: 'muted', 'data-test': 'viewer-note' }, t('plan.viewerNote')), this.host.plans.el);
      this.host.plans.render();
      return;
    }
    const spec = KINDS[this.kind];
    const drawing = this.draw !== null && this.host.tools.active === this.draw;
    const kindSelect = h('select', { 'data-test': 'plan-kind', onchange: (e: Event) => this.setKind((e.target as HTMLSelectElement).value as PatternKind) },
      ...(Object.keys(KINDS) as PatternKind[]).map((k) => h('option', { value: k, selected: k === this.kind }, t(`kind.${k}`))));
    fill(this.el,
      h('h2', {}, t('plan.title')),
      h('div', { class: 'row' }, field(t('plan.kind'), kindSelect)),
      h('div', { class: 'row' },
        drawing ? null : h('button', { type: 'button', 'data-command': 'plan-draw', onclick: () => this.startDrawing() }, t(`draw.start.${spec.draw}`)),
        drawing ? h('button', { type: 'button', class: 'primary', 'data-command': 'plan-draw-finish', disabled: !this.draw!.canFinish(), onclick: () => this.draw?.finish() }, t('draw.finish')) : null,
        drawing ? h('button', { type: 'button', 'data-command': 'plan-draw-undo', disabled: this.draw!.vertices.length === 0, onclick: () => this.draw?.undo() }, t('draw.undo')) : null,
        drawing ? h('button', { type: 'button', 'data-command': 'plan-draw-cancel', onclick: () => this.draw?.cancel() }, t('draw.cancel')) : null),
      h('p', { class: drawing ? 'hint' : 'muted', 'data-test': 'plan-shape' }, drawing ? t(`draw.hint.${spec.draw}`) : this.vertices ? t(`draw.done.${spec.draw}`, { n: this.vertices.length }) : t('draw.nothing')),
      h('div', { class: 'row' },
        field(t('plan.altitude'), numberInput({ value: this.altitude, min: 5, max: 120, test: 'plan-altitude', set: (n) => { this.altitude = n; } })),
        field(t(spec.option.label), numberInput({ value: this.options[this.kind], min: spec.option.min, max: spec.option.max, test: 'plan-option', set: (n) => { this.options[this.kind] = n; } }))),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', 'data-command': 'plan-preview', disabled: !this.vertices || drawing || this.preview?.kind === 'sending', onclick: () => void this.runPreview() }, t('plan.preview'))),
      this.previewView(),
      this.assignView(),
      this.host.plans.el);
    this.host.plans.render();
  }

  private previewView(): HTMLElement | null {
    const p = this.preview;
    if (!p) return null;
    if (p.kind === 'sending') return h('p', { class: 'muted', 'data-test': 'plan-result' }, t('plan.previewing'));
    if (p.kind === 'error') return errorView(t('plan.preview'), p.error, (id) => this.host.store.zoneNames.get(id));
    return h('div', { 'data-test': 'plan-result', 'data-plan': p.value.id }, planFigures(p.value));
  }

  private assignView(): HTMLElement | null {
    if (this.preview?.kind !== 'done') return null;
    const plan = this.preview.value;
    const results = assignResults(this.host.store, this.assignment);
    const parts = Math.max(1, plan.sorties?.length ?? 1);
    return h('div', { class: 'assign' },
      h('h3', {}, t('plan.assignTitle')),
      h('p', { class: 'muted' }, t('plan.assignHint', { n: parts })),
      this.picker.render(() => this.renderAssignButton()),
      h('div', { class: 'row', 'data-test': 'assign-row' }),
      results);
  }

  private renderAssignButton(): void {
    const row = this.el.querySelector<HTMLElement>('[data-test=assign-row]');
    row?.replaceChildren(h('button', { type: 'button', class: 'primary', 'data-command': 'plan-assign', disabled: this.picker.ids().length === 0 || this.assignment?.kind === 'sending', onclick: () => void this.runAssign() }, t('plan.assign')));
  }

  private setKind(kind: PatternKind): void {
    const sameShape = KINDS[kind].draw === KINDS[this.kind].draw;
    this.kind = kind;
    if (!sameShape) { this.draw?.cancel(); this.vertices = null; }
    this.preview = null;
    this.assignment = null;
    this.drawMap();
    this.render();
  }

  private startDrawing(): void {
    this.vertices = null;
    this.preview = null;
    this.assignment = null;
    this.drawMap();
    const mode = KINDS[this.kind].draw;
    this.draw = new DrawTool({
      mode, slot: this.host.tools, map: this.host.map,
      onChange: () => this.render(),
      onDone: (vertices) => { this.vertices = vertices; this.drawMap(); this.render(); },
    });
    this.render();
  }

  private request(): Record<string, unknown> {
    const v = this.vertices!;
    const spec = KINDS[this.kind];
    const common = { kind: this.kind, altitudeM: this.altitude, base: { lat: DEMO_CENTER.lat, lon: DEMO_CENTER.lon }, [spec.option.field]: this.options[this.kind] };
    if (spec.draw === 'polygon') return { ...common, area: { type: 'Polygon', coordinates: [[...v, v[0]!]] } };
    if (spec.draw === 'line') return { ...common, path: { type: 'LineString', coordinates: v } };
    return { ...common, points: v.map(([lon, lat]) => ({ lat, lon })) };
  }

  private async runPreview(): Promise<void> {
    if (!this.vertices) return;
    this.preview = { kind: 'sending' };
    this.assignment = null;
    this.render();
    this.preview = await settle(this.host.api.post<Plan>('/api/plans', this.request()));
    if (this.preview.kind === 'done') {
      if (this.picker.ids().length === 0 && this.host.store.selectedId) this.picker.choose([this.host.store.selectedId]);
      void this.host.plans.reload();
    }
    this.drawMap(true);
    this.render();
    this.renderAssignButton();
  }

  private async runAssign(): Promise<void> {
    if (this.preview?.kind !== 'done') return;
    const plan = this.preview.value;
    const ids = this.picker.ids();
    const names = ids.map((id) => this.host.store.drones.get(id)?.callsign ?? id).join(', ');
    if (!(await confirmDialog(t('confirm.assign', { n: ids.length, ids: names, kind: t(`kind.${this.kind}`) })))) return;
    this.assignment = { kind: 'sending' };
    this.render();
    this.renderAssignButton();
    this.assignment = await assignPlan(this.host.api, plan.id, ids);
    this.render();
    this.renderAssignButton();
  }

  /** The drawn shape, the previewed route or the violation, on the map; `fit`: bring the route into view. */
  private drawMap(fit = false): void {
    const map = this.host.map();
    if (!map) return;
    const input = this.vertices ? inputFeatures(KINDS[this.kind].draw, this.vertices) : [];
    const p = this.preview;
    const plan = p?.kind === 'done' ? p.value : null;
    const violation = p?.kind === 'error' && p.error.code === 'AIRSPACE_VIOLATION'
      ? { route: p.error.details.route as never, point: p.error.details.point as never } : null;
    map.setData('plan', planFeatures(input, plan, violation));
    const routes = plan ? planRoutes(plan).flatMap((r) => r.coordinates) : [];
    const box = fit ? boundsOf(routes) : null;
    if (box) map.fitBounds(box);
  }
}
