/** Check boxes for choosing drones (a plan's assignment, an overwatch run): call sign, state, battery. */
import { t } from '../i18n/index.ts';
import { STATE_COLORS } from '../map/colors.ts';
import { droneState, type ConsoleStore } from '../state/store.ts';
import { h, raw } from './dom.ts';
import { batteryText, stateLabel } from './format.ts';

export class DronePicker {
  readonly chosen = new Set<string>();

  constructor(private readonly store: ConsoleStore, private readonly testId: string) {}

  /** Choose these (replacing the choice). */
  choose(ids: Iterable<string>): void {
    this.chosen.clear();
    for (const id of ids) this.chosen.add(id);
  }

  /** The chosen drones that still exist, in call sign order. */
  ids(): string[] {
    return this.sorted().map((d) => d.id).filter((id) => this.chosen.has(id));
  }

  render(onChange: () => void): HTMLElement {
    const drones = this.sorted();
    if (drones.length === 0) return h('p', { class: 'muted' }, t('fleet.empty'));
    return h('ul', { class: 'picker', 'data-test': this.testId },
      ...drones.map((d) => {
        const state = droneState(d);
        return h('li', {},
          h('label', {},
            h('input', { type: 'checkbox', value: d.id, 'data-drone': d.id, checked: this.chosen.has(d.id),
              onchange: (e: Event) => { if ((e.target as HTMLInputElement).checked) this.chosen.add(d.id); else this.chosen.delete(d.id); onChange(); } }),
            ' ', raw(d.callsign), ' ',
            h('span', { class: 'badge', style: `--c:${STATE_COLORS[state]}` }, stateLabel(state)), ' ',
            h('span', { class: 'muted' }, batteryText(d))));
      }));
  }

  private sorted() {
    return [...this.store.drones.values()].sort((a, b) => a.callsign.localeCompare(b.callsign, 'en', { numeric: true }));
  }
}
