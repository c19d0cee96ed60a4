/**
 * The fleet list: state, battery, link, mode; click selects the drone and flies the map to it.
 * Rows are kept per drone and only their changed cells are rewritten (stable to click, cheap to update).
 */
import type { Drone } from '../api/types.ts';
import { currentLang, t } from '../i18n/index.ts';
import { STATE_COLORS } from '../map/colors.ts';
import { droneState, type ConsoleStore } from '../state/store.ts';
import { h, raw } from './dom.ts';
import { batteryText, linkText, modeText, stateLabel } from './format.ts';

interface Row { tr: HTMLTableRowElement; state: HTMLSpanElement; battery: HTMLTableCellElement; link: HTMLTableCellElement; mode: HTMLTableCellElement; key: string }

export class FleetPanel {
  readonly el = h('section', { class: 'panel fleet', 'data-test': 'fleet' });
  private readonly title = h('h2', {});
  private readonly empty = h('p', { class: 'muted' });
  private readonly head = h('thead', {});
  private readonly body = h('tbody', {});
  private readonly rows = new Map<string, Row>();
  private order = '';
  private sorted: string[] = [];
  private membership = -1;
  private shownCount = -1;
  private lang = '';

  constructor(private readonly store: ConsoleStore, private readonly onPick: (d: Drone) => void) {
    this.el.append(this.title, this.empty, h('table', {}, this.head, this.body));
  }

  /** Language changed: headings and every cell. */
  renderAll(): void {
    this.head.replaceChildren(h('tr', {}, h('th', {}, t('fleet.col.drone')), h('th', {}, t('fleet.col.state')), h('th', {}, t('fleet.col.battery')), h('th', {}, t('fleet.col.link')), h('th', {}, t('fleet.col.mode'))));
    for (const row of this.rows.values()) row.key = '';
    this.shownCount = -1;
    this.render();
  }

  render(): void {
    if (this.membership !== this.store.membership || this.sorted.length !== this.store.drones.size) {
      this.membership = this.store.membership;
      this.sorted = [...this.store.drones.values()].sort((a, b) => a.callsign.localeCompare(b.callsign, 'en', { numeric: true })).map((d) => d.id);
    }
    const n = this.sorted.length;
    if (n !== this.shownCount || this.lang !== currentLang()) {
      this.shownCount = n;
      this.lang = currentLang();
      this.title.replaceChildren(t('fleet.title'), ' ', h('span', { class: 'muted' }, t('fleet.count', { n })));
      this.empty.hidden = n > 0;
      this.empty.textContent = t('fleet.empty');
    }
    if (!this.head.firstChild) this.renderAll();
    for (const id of [...this.rows.keys()]) if (!this.store.drones.has(id)) { this.rows.get(id)!.tr.remove(); this.rows.delete(id); }
    for (const id of this.sorted) { const d = this.store.drones.get(id); if (d) this.update(d); }
    const order = this.sorted.join('\n');
    if (order !== this.order) {
      this.order = order;
      this.body.replaceChildren(...this.sorted.flatMap((id) => { const r = this.rows.get(id); return r ? [r.tr] : []; }));
    }
  }

  private update(d: Drone): void {
    let row = this.rows.get(d.id);
    if (!row) {
      const pick = () => { const cur = this.store.drones.get(d.id); if (cur) this.onPick(cur); };
      const state = h('span', { class: 'badge', 'data-test': 'state' });
      const battery = h('td', { class: 'num' });
      const link = h('td', {});
      const mode = h('td', {});
      const tr = h('tr', { 'data-drone': d.id, tabindex: 0, onclick: pick, onkeydown: (e: KeyboardEvent) => { if (e.key === 'Enter') pick(); } },
        h('td', {}, raw(d.callsign)), h('td', {}, state), battery, link, mode);
      row = { tr, state, battery, link, mode, key: '' };
      this.rows.set(d.id, row);
    }
    const state = droneState(d);
    const pct = d.battery?.remainingPct;
    const selected = d.id === this.store.selectedId;
    // a cheap key of what the row shows; the texts are only built when it changed
    const key = `${state}|${pct == null ? '' : Math.round(pct)}|${d.connected}|${Math.round(d.link?.packetLossPct ?? 0)}|${d.mode}|${selected}`;
    if (key === row.key) return;
    row.key = key;
    const cells = [stateLabel(state), batteryText(d), linkText(d), modeText(d.mode)] as const;
    row.tr.dataset.state = state;
    row.tr.classList.toggle('selected', selected);
    row.state.textContent = cells[0];
    row.state.style.setProperty('--c', STATE_COLORS[state]);
    row.battery.textContent = cells[1];
    row.link.textContent = cells[2];
    row.link.className = d.connected ? '' : 'bad';
    row.mode.textContent = cells[3];
  }
}
