/**
 * Traffic tab: the road segments with their level (free, slow, congested, jammed), mean speed
 * against free flow and since when, kept live by the stream's `traffic` events (the map draws the
 * same roads coloured by level). A click selects a road and brings it into view. Operators, per
 * road: traffic guidance from the chosen drones' loudspeakers (POST /api/roads/:id/broadcasts) and
 * a corridor patrol along it (POST /api/roads/:id/patrol-plan, then assigned to the chosen drones
 * with the planning tab's assignment: POST /api/plans/:id/assign). Below, the junctions, and for
 * operators a tour stationing the chosen drones over them (junctions.ts). One preview at a time:
 * asking for the corridor drops the tour's (figures, Assign, drawing) and the other way round.
 */
import type { ApiClient } from '../api/client.ts';
import type { Plan, Role, TrafficLevel } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import { TRAFFIC_COLORS } from '../map/colors.ts';
import type { RoadMark, ConsoleStore } from '../state/store.ts';
import { confirmDialog } from './confirm.ts';
import { fill, h, raw } from './dom.ts';
import { DronePicker } from './drone-picker.ts';
import { errorView } from './error.ts';
import { field, settle, type Pending } from './form.ts';
import { clockText } from './format.ts';
import { JunctionTour, junctionList } from './junctions.ts';
import { PreviewedPlan } from './previewed-plan.ts';

const LEVEL_ORDER: Record<TrafficLevel, number> = { jammed: 0, congested: 1, slow: 2, free: 3 };
const KMH = 3.6;
const PATROL_ALTITUDE_M = 40;

export interface TrafficHost {
  api: ApiClient;
  store: ConsoleStore;
  role: () => Role;
  /** Bring a road into view. */
  fitRoad: (coordinates: Array<[number, number]>) => void;
  /** Bring a point (a junction) into view. */
  flyTo: (lon: number, lat: number) => void;
  /** Show a previewed patrol plan on the map (null: clear). */
  showPlan: (plan: Plan | null) => void;
}

type GuidanceResult = { droneId: string; result: Pending<{ id: string; state: string }> };

export class TrafficPanel {
  readonly el = h('section', { class: 'panel traffic', 'data-test': 'traffic' });
  private readonly listEl = h('div', { 'data-test': 'traffic-list' });
  private readonly junctionsEl = h('div', {});
  private readonly actionsEl = h('div', { class: 'road-actions', 'data-test': 'road-actions' });
  private selectedId: string | null = null;
  private lang: 'zh-CN' | 'en' = 'zh-CN';
  private guidance: GuidanceResult[] = [];
  private readonly patrol: PreviewedPlan;
  private readonly tour: JunctionTour;
  private readonly picker: DronePicker;

  constructor(private readonly host: TrafficHost) {
    this.picker = new DronePicker(host.store, 'road-drones');
    const changed = () => this.renderActions();
    // one preview at a time (both draw on the map's one plan source): asking for one clears the other
    this.patrol = new PreviewedPlan({ api: host.api, store: host.store, test: 'road-plan', assignCommand: 'road-assign', kindLabel: 'kind.corridor', errorTitle: 'trf.patrol', showPlan: host.showPlan, changed, asking: () => this.tour.clear() });
    this.tour = new JunctionTour(host.api, host.store, { showPlan: host.showPlan, changed, asking: () => this.patrol.clear() });
    this.el.append(h('h2', {}), this.listEl, this.junctionsEl, this.actionsEl);
  }

  render(): void {
    (this.el.firstChild as HTMLElement).textContent = t('trf.title');
    this.renderList();
    this.renderJunctions();
  }

  /** The junctions changed (loaded with the roads): their list, and the tour's button. */
  renderJunctions(): void {
    fill(this.junctionsEl, junctionList(this.host.store, this.host.flyTo));
    this.renderActions();
  }

  renderList(): void {
    const roads = [...this.host.store.roads.values()].sort((a, b) =>
      LEVEL_ORDER[a.segment?.level ?? 'free'] - LEVEL_ORDER[b.segment?.level ?? 'free'] || a.road.name.localeCompare(b.road.name));
    if (roads.length === 0) { fill(this.listEl, h('p', { class: 'muted' }, t('trf.none'))); return; }
    fill(this.listEl, h('table', { class: 'results traffic-table' },
      h('thead', {}, h('tr', {}, h('th', {}, t('trf.col.road')), h('th', {}, t('trf.col.level')), h('th', {}, t('trf.col.speed')), h('th', {}, t('trf.col.since')))),
      h('tbody', {}, ...roads.map((r) => this.row(r)))));
  }

  private row({ road, segment }: RoadMark): HTMLElement {
    const level = segment?.level ?? 'free';
    const speed = segment?.speedMps;
    return h('tr', { 'data-road': road.id, 'data-level': level, class: road.id === this.selectedId ? 'selected' : '', onclick: () => this.select(road.id) },
      h('td', {}, raw(road.name)),
      h('td', {}, h('span', { class: 'badge', style: `--c:${TRAFFIC_COLORS[level]}` }, t(`level.${level}`))),
      h('td', {}, speed == null ? t('trf.noData', { free: Math.round(road.freeFlowMps * KMH) }) : t('trf.speed', { v: Math.round(speed * KMH), free: Math.round(road.freeFlowMps * KMH) })),
      h('td', {}, segment?.since ? clockText(segment.since) : '–'));
  }

  private select(id: string): void {
    if (this.selectedId !== id) { this.guidance = []; this.patrol.clear(); }
    this.selectedId = id;
    const r = this.host.store.roads.get(id);
    if (r) this.host.fitRoad(r.road.geometry.coordinates);
    this.render();
  }

  private renderActions(): void {
    if (this.host.role() === 'viewer') { fill(this.actionsEl, h('p', { class: 'muted', 'data-test': 'viewer-note' }, t('trf.viewerNote'))); return; }
    const ids = this.picker.ids();
    fill(this.actionsEl,
      h('p', { class: 'muted' }, t('trf.pickDrones')),
      this.picker.render(() => this.renderActions()),
      this.roadActions(ids),
      this.tour.view(ids));
  }

  /** For the chosen road: guidance and a corridor patrol. */
  private roadActions(ids: string[]): HTMLElement {
    const mark = this.selectedId ? this.host.store.roads.get(this.selectedId) : undefined;
    if (!mark) return h('p', { class: 'muted' }, t('trf.pickRoad'));
    const langSelect = h('select', { 'data-test': 'road-lang', onchange: (e: Event) => { this.lang = (e.target as HTMLSelectElement).value as 'zh-CN' | 'en'; } },
      h('option', { value: 'zh-CN', selected: this.lang === 'zh-CN' }, t('bc.lang.zh')), h('option', { value: 'en', selected: this.lang === 'en' }, t('bc.lang.en')));
    return h('div', {},
      h('h3', {}, t('trf.actions'), ' ', raw(mark.road.name)),
      h('div', { class: 'row' }, field(t('bc.lang'), langSelect),
        h('button', { type: 'button', 'data-command': 'road-guidance', disabled: ids.length === 0, onclick: () => void this.sendGuidance(mark) }, t('trf.guidance'))),
      this.guidance.length ? h('ul', { class: 'plans', 'data-test': 'guidance-results' }, ...this.guidance.map((g) => h('li', { 'data-drone': g.droneId, 'data-result': g.result.kind },
        raw(this.host.store.drones.get(g.droneId)?.callsign ?? g.droneId), ' ',
        g.result.kind === 'sending' ? t('trf.sending') : g.result.kind === 'done' ? t('trf.guidanceOk') : errorView(t('trf.guidance'), g.result.error)))) : null,
      h('div', { class: 'row' },
        h('button', { type: 'button', 'data-command': 'road-patrol', disabled: this.patrol.sending, onclick: () => void this.planPatrol(mark) }, t('trf.patrol'))),
      this.patrol.view(ids));
  }

  private names(ids: string[]): string {
    return ids.map((id) => this.host.store.drones.get(id)?.callsign ?? id).join(', ');
  }

  private async sendGuidance(mark: RoadMark): Promise<void> {
    const ids = this.picker.ids();
    if (!(await confirmDialog(t('confirm.guidance', { ids: this.names(ids), lang: this.lang === 'en' ? t('bc.lang.en') : t('bc.lang.zh') })))) return;
    this.guidance = ids.map((droneId) => ({ droneId, result: { kind: 'sending' } }));
    this.renderActions();
    await Promise.all(this.guidance.map(async (g) => {
      g.result = await settle(this.host.api.post<{ id: string; state: string }>(`/api/roads/${encodeURIComponent(mark.road.id)}/broadcasts`, { droneId: g.droneId, lang: this.lang }));
    }));
    this.renderActions();
  }

  private planPatrol(mark: RoadMark): Promise<void> {
    return this.patrol.ask(() => this.host.api.post<Plan>(`/api/roads/${encodeURIComponent(mark.road.id)}/patrol-plan`, { altitudeM: PATROL_ALTITUDE_M }));
  }
}
