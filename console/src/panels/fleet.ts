/**
 * The fleet list: state, battery, link, mode; filter and sort; click selects the drone and flies the
 * map to it. Rows are kept per drone and only their changed cells are rewritten (stable to click,
 * cheap to update); the list is re-sorted by call sign only when drones come or go.
 */
import type { Drone } from '../api/types.ts';
import { currentLang, t } from '../i18n/index.ts';
import { STATE_COLORS } from '../map/colors.ts';
import { droneState, type ConsoleStore, type DroneState } from '../state/store.ts';
import { h, raw } from './dom.ts';
import { batteryText, linkText, modeText, stateLabel, taskText } from './format.ts';

interface Row { tr: HTMLTableRowElement; state: HTMLSpanElement; battery: HTMLTableCellElement; link: HTMLTableCellElement; task: HTMLTableCellElement; mode: HTMLTableCellElement; key: string; text: string }
type SortBy = 'callsign' | 'battery' | 'state';

/** Most urgent first when sorting by state. */
const STATE_RANK: Record<DroneState, number> = { lost: 0, lowBattery: 1, returning: 2, onTask: 3, flying: 4, ground: 5 };

export class FleetPanel {
  readonly el = h('section', { class: 'panel fleet', 'data-test': 'fleet' });
  private readonly title = h('h2', {});
  private readonly controls = h('div', { class: 'fleet-controls' });
  private readonly empty = h('p', { class: 'muted' });
  private readonly head = h('thead', {});
  private readonly body = h('tbody', {});
  private readonly rows = new Map<string, Row>();
  private order = '';
  private byCallsign: string[] = [];
  private membership = -1;
  private titleKey = '';
  private filter = '';
  private sortBy: SortBy = 'callsign';

  constructor(private readonly store: ConsoleStore, private readonly onPick: (d: Drone) => void) {
    this.el.append(this.title, this.controls, this.empty, h('table', {}, this.head, this.body));
  }

  /** Language changed: headings, controls and every cell. */
  renderAll(): void {
    this.head.replaceChildren(h('tr', {}, h('th', {}, t('fleet.col.drone')), h('th', {}, t('fleet.col.state')), h('th', {}, t('fleet.col.battery')), h('th', {}, t('fleet.col.link')), h('th', {}, t('fleet.col.task')), h('th', {}, t('fleet.col.mode'))));
    const option = (value: SortBy, key: 'fleet.sort.callsign' | 'fleet.sort.battery' | 'fleet.sort.state') => h('option', { value, selected: this.sortBy === value }, t(key));
    this.controls.replaceChildren(
      h('input', { type: 'search', value: this.filter, placeholder: t('fleet.filter'), title: t('fleet.filter'), 'data-test': 'fleet-filter',
        oninput: (e: Event) => { this.filter = (e.target as HTMLInputElement).value; this.render(); } }),
      h('select', { title: t('fleet.sort'), 'data-test': 'fleet-sort', onchange: (e: Event) => { this.sortBy = (e.target as HTMLSelectElement).value as SortBy; this.render(); } },
        option('callsign', 'fleet.sort.callsign'), option('battery', 'fleet.sort.battery'), option('state', 'fleet.sort.state')));
    for (const row of this.rows.values()) row.key = '';
    this.titleKey = '';
    this.render();
  }

  render(): void {
    if (!this.head.firstChild) return this.renderAll();
    if (this.membership !== this.store.membership || this.byCallsign.length !== this.store.drones.size) {
      this.membership = this.store.membership;
      this.byCallsign = [...this.store.drones.values()].sort((a, b) => a.callsign.localeCompare(b.callsign, 'en', { numeric: true })).map((d) => d.id);
    }
    for (const id of [...this.rows.keys()]) if (!this.store.drones.has(id)) { this.rows.get(id)!.tr.remove(); this.rows.delete(id); }
    for (const id of this.byCallsign) { const d = this.store.drones.get(id); if (d) this.update(d); }

    let ids = this.byCallsign;
    if (this.sortBy !== 'callsign') {
      const score = (id: string): number => {
        const d = this.store.drones.get(id)!;
        return this.sortBy === 'battery' ? d.battery?.remainingPct ?? 101 : STATE_RANK[droneState(d)];
      };
      ids = [...ids].sort((a, b) => score(a) - score(b)); // stable: ties keep the call sign order
    }
    const needle = this.filter.trim().toLowerCase();
    let shown = 0;
    for (const id of ids) {
      const row = this.rows.get(id);
      if (!row) continue;
      const visible = !needle || row.text.includes(needle);
      row.tr.hidden = !visible;
      if (visible) shown++;
    }
    const n = ids.length;
    const titleKey = `${currentLang()}|${n}|${shown}`;
    if (titleKey !== this.titleKey) {
      this.titleKey = titleKey;
      this.title.replaceChildren(t('fleet.title'), ' ', h('span', { class: 'muted', 'data-test': 'fleet-count' }, shown === n ? t('fleet.count', { n }) : t('fleet.shown', { shown, n })));
      this.empty.hidden = n > 0;
      this.empty.textContent = t('fleet.empty');
    }
    const order = ids.join('\n');
    if (order !== this.order) {
      this.order = order;
      this.body.replaceChildren(...ids.flatMap((id) => { const r = this.rows.get(id); return r ? [r.tr] : []; }));
    }
  }

  private update(d: Drone): void {
    let row = this.rows.get(d.id);
    if (!row) {
      const pick = () => { const cur = this.store.drones.get(d.id); if (cur) this.onPick(cur); };
      const state = h('span', { class: 'badge', 'data-test': 'state' });
      const battery = h('td', { class: 'num' });
      const link = h('td', {});
      const task = h('td', { 'data-test': 'task' });
      const mode = h('td', {});
      const tr = h('tr', { 'data-drone': d.id, tabindex: 0, onclick: pick, onkeydown: (e: KeyboardEvent) => { if (e.key === 'Enter') pick(); } },
        h('td', {}, raw(d.callsign)), h('td', {}, state), battery, link, task, mode);
      row = { tr, state, battery, link, task, mode, key: '', text: '' };
      this.rows.set(d.id, row);
    }
    const state = droneState(d);
    const pct = d.battery?.remainingPct;
    const selected = d.id === this.store.selectedId;
    // a cheap key of what the row shows; the texts are only built when it changed
    const key = `${state}|${pct == null ? '' : Math.round(pct)}|${d.connected}|${Math.round(d.link?.packetLossPct ?? 0)}|${d.mode}|${d.task?.kind ?? ''}|${selected}`;
    if (key === row.key) return;
    row.key = key;
    const cells = [stateLabel(state), batteryText(d), linkText(d), modeText(d.mode), taskText(d)] as const;
    row.text = `${d.callsign} ${d.id} ${cells[0]} ${cells[3]} ${d.mode} ${cells[4]}`.toLowerCase();
    row.tr.dataset.state = state;
    row.tr.classList.toggle('selected', selected);
    row.state.textContent = cells[0];
    row.state.style.setProperty('--c', STATE_COLORS[state]);
    row.battery.textContent = cells[1];
    row.link.textContent = cells[2];
    row.task.textContent = cells[4];
    row.link.className = d.connected ? '' : 'bad';
    row.mode.textContent = cells[3];
  }
}
