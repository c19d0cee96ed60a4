/**
 * The junctions of the roads (GET /api/traffic/junctions: crossings, and ends that meet another
 * road), numbered as on the map, each with the roads that meet there; a click brings one into view.
 * Operators station drones over them: a `tour` plan (POST /api/plans) through every junction from
 * the demo base with a time on station at each, previewed and assigned like the corridor patrol.
 */
import type { ApiClient } from '../api/client.ts';
import type { Junction, Plan } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import { DEMO_CENTER } from '../map/demo-scene.ts';
import type { ConsoleStore } from '../state/store.ts';
import { h, raw } from './dom.ts';
import { field, numberInput } from './form.ts';
import { PreviewedPlan } from './previewed-plan.ts';

const TOUR_ALTITUDE_M = 40;
const HOVER_S = { value: 120, min: 0, max: 1800 };

/** The junctions, numbered from 1, with the names of the roads that meet at each. */
export function junctionList(store: ConsoleStore, flyTo: (lon: number, lat: number) => void): HTMLElement {
  const junctions = store.junctions;
  const name = (id: string) => raw(store.roads.get(id)?.road.name ?? id);
  return h('div', { 'data-test': 'junctions' },
    h('h3', {}, t('jct.title'), ' ', h('span', { class: 'muted' }, t('jct.count', { n: junctions.length }))),
    junctions.length === 0 ? h('p', { class: 'muted' }, t('jct.none')) :
      h('ol', { class: 'junctions' }, ...junctions.map((j, i) => h('li', { 'data-junction': i + 1, 'data-roads': j.roadIds.join(' '), onclick: () => flyTo(j.lon, j.lat) },
        h('strong', {}, t('jct.item', { n: i + 1 })), ' ',
        ...j.roadIds.flatMap((id, k) => [k ? ' × ' : '', name(id)])))));
}

/** "Station drones over these junctions": the hover time, the tour's preview and its assignment. */
export class JunctionTour {
  private hoverS = HOVER_S.value;
  private readonly plan: PreviewedPlan;

  constructor(private readonly api: ApiClient, private readonly store: ConsoleStore, o: { showPlan: (plan: Plan | null) => void; changed: () => void; asking: () => void }) {
    this.plan = new PreviewedPlan({ api, store, test: 'junction-plan', assignCommand: 'junction-assign', kindLabel: 'kind.tour', errorTitle: 'jct.station', ...o });
  }

  /** Forget the tour's preview (another one is shown). */
  clear(): void {
    this.plan.clear();
  }

  view(droneIds: string[]): HTMLElement {
    const junctions = this.store.junctions;
    return h('div', { class: 'junction-tour' },
      h('h3', {}, t('jct.station')),
      h('p', { class: 'muted' }, t('jct.hint')),
      h('div', { class: 'row' },
        field(t('jct.hoverS'), numberInput({ ...HOVER_S, value: this.hoverS, test: 'junction-hover', set: (n) => { this.hoverS = n; } })),
        h('button', { type: 'button', 'data-command': 'junction-tour', disabled: junctions.length === 0 || this.plan.sending, onclick: () => void this.preview(junctions) }, t('jct.preview'))),
      this.plan.view(droneIds));
  }

  private preview(junctions: readonly Junction[]): Promise<void> {
    return this.plan.ask(() => this.api.post<Plan>('/api/plans', {
      kind: 'tour', altitudeM: TOUR_ALTITUDE_M, hoverS: this.hoverS,
      base: { lat: DEMO_CENTER.lat, lon: DEMO_CENTER.lon },
      points: junctions.map((j) => ({ lat: j.lat, lon: j.lon })),
    }));
  }
}
