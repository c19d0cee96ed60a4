/**
 * The fleet list: state, battery, link, task, mode; filter and sort; a click (or Enter) selects the
 * drone and flies the map to it. Virtualised: only the rows in view and a margin are in the DOM, at
 * a fixed height, between two spacers that stand for the rows above and below; scrolling renders the
 * new window (and so does a resize of the list). A row's cells are rewritten only when what they
 * show changed; the call sign order is worked out again only when drones come or go (a scroll after
 * a snapshot dropped drones works the list out again first). Fixed column widths (styles.css), so
 * columns do not jump as rows come and go.
 */
import type { Drone } from '../api/types.ts';
import { currentLang, t } from '../i18n/index.ts';
import { STATE_COLORS } from '../map/colors.ts';
import { droneState, type ConsoleStore, type DroneState } from '../state/store.ts';
import { h, raw } from './dom.ts';
import { batteryText, linkText, modeText, stateLabel, taskText } from './format.ts';

interface Row { tr: HTMLTableRowElement; state: HTMLSpanElement; battery: HTMLTableCellElement; link: HTMLTableCellElement; task: HTMLTableCellElement; mode: HTMLTableCellElement; key: string }
type SortBy = 'callsign' | 'battery' | 'state';

/** What the list's renders cost (window.__eagle.stats.fleetList). */
export interface ListTiming { renders: number; lastMs: number; maxMs: number; totalMs: number }

/** Most urgent first when sorting by state. */
const STATE_RANK: Record<DroneState, number> = { lost: 0, lowBattery: 1, returning: 2, onTask: 3, flying: 4, ground: 5 };
/** A row's height (styles.css `.fleet tbody tr`), until a rendered row is measured. */
const ROW_PX = 28;
/** Rows rendered above and below the ones in view. */
const MARGIN_ROWS = 8;
const byCallsign = new Intl.Collator('en', { numeric: true }).compare;

export class FleetPanel {
  readonly el = h('section', { class: 'panel fleet', 'data-test': 'fleet' });
  private readonly title = h('h2', {});
  private readonly controls = h('div', { class: 'fleet-controls' });
  private readonly empty = h('p', { class: 'muted' });
  private readonly head = h('thead', {});
  private readonly body = h('tbody', {});
  private readonly before = h('div', { 'data-test': 'fleet-before' });
  private readonly after = h('div', { 'data-test': 'fleet-after' });
  private readonly scroller = h('div', { class: 'fleet-rows', 'data-test': 'fleet-rows' }, this.before, h('table', {}, this.head, this.body), this.after);
  /** Rows in the DOM, by drone id. */
  private readonly rows = new Map<string, Row>();
  /** Every drone's filter text (call sign, id, state, mode, task in the shown language) with the key it was made for. */
  private readonly texts = new Map<string, { key: string; text: string }>();
  /** The drones the filter lets through, in the chosen order. */
  private shown: string[] = [];
  private windowKey = '';
  private rowPx = 0;
  private byCallsign: string[] = [];
  private membership = -1;
  private titleKey = '';
  private filter = '';
  private sortBy: SortBy = 'callsign';

  constructor(private readonly store: ConsoleStore, private readonly onPick: (d: Drone) => void, private readonly timing: ListTiming = { renders: 0, lastMs: 0, maxMs: 0, totalMs: 0 }) {
    this.scroller.addEventListener('scroll', () => this.refresh(), { passive: true });
    // a taller list (the window or the panel grew) is filled at once, not at the next update
    new ResizeObserver(() => this.refresh()).observe(this.scroller);
    this.el.append(this.title, this.controls, this.empty, this.scroller);
  }

  /** Scrolled or resized: the rows now in view; everything again if drones came or went since the last render. */
  private refresh(): void {
    if (!this.head.firstChild) return;
    if (this.membership !== this.store.membership) this.render();
    else this.timed(() => this.renderWindow());
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
    this.texts.clear();
    this.titleKey = '';
    this.rowPx = 0; // another language, another font: the row height is measured again
    this.render();
  }

  /** The drones changed: order, filter, count, and the rows in view. */
  render(): void {
    if (!this.head.firstChild) return this.renderAll();
    this.timed(() => {
      this.shown = this.filtered(this.ordered());
      this.renderTitle(this.shown.length, this.byCallsign.length);
      this.renderWindow();
    });
  }

  /** Scroll the list so that this drone's row is in view (false: the filter hides it, or no such drone). */
  reveal(id: string): boolean {
    const index = this.shown.indexOf(id);
    if (index < 0) return false;
    const rowPx = this.rowPx || ROW_PX;
    const view = this.scroller.clientHeight - this.head.offsetHeight;
    const top = index * rowPx;
    if (top < this.scroller.scrollTop || top + rowPx > this.scroller.scrollTop + view) this.scroller.scrollTop = Math.max(0, top - (view - rowPx) / 2);
    this.renderWindow();
    return true;
  }

  private timed(work: () => void): void {
    const t0 = performance.now();
    work();
    const ms = performance.now() - t0;
    const s = this.timing;
    s.renders++; s.lastMs = ms; s.totalMs += ms; s.maxMs = Math.max(s.maxMs, ms);
  }

  /** Every drone in the chosen order (call sign order kept until drones come or go; ties keep it). */
  private ordered(): string[] {
    if (this.membership !== this.store.membership || this.byCallsign.length !== this.store.drones.size) {
      this.membership = this.store.membership;
      this.byCallsign = [...this.store.drones.values()].sort((a, b) => byCallsign(a.callsign, b.callsign)).map((d) => d.id);
      for (const id of [...this.texts.keys()]) if (!this.store.drones.has(id)) this.texts.delete(id);
    }
    if (this.sortBy === 'callsign') return this.byCallsign;
    const score = new Map(this.byCallsign.map((id) => {
      const d = this.store.drones.get(id)!;
      return [id, this.sortBy === 'battery' ? d.battery?.remainingPct ?? 101 : STATE_RANK[droneState(d)]];
    }));
    return [...this.byCallsign].sort((a, b) => score.get(a)! - score.get(b)!);
  }

  private filtered(ids: string[]): string[] {
    const needle = this.filter.trim().toLowerCase();
    if (!needle) return ids;
    return ids.filter((id) => { const d = this.store.drones.get(id); return d !== undefined && this.textOf(d).includes(needle); });
  }

  private textOf(d: Drone): string {
    const key = rowKey(d, false);
    const known = this.texts.get(d.id);
    if (known?.key === key) return known.text;
    const state = droneState(d);
    const text = `${d.callsign} ${d.id} ${stateLabel(state)} ${modeText(d.mode)} ${d.mode} ${taskText(d)}`.toLowerCase();
    this.texts.set(d.id, { key, text });
    return text;
  }

  private renderTitle(shown: number, n: number): void {
    const titleKey = `${currentLang()}|${n}|${shown}`;
    if (titleKey === this.titleKey) return;
    this.titleKey = titleKey;
    this.title.replaceChildren(t('fleet.title'), ' ', h('span', { class: 'muted', 'data-test': 'fleet-count' }, shown === n ? t('fleet.count', { n }) : t('fleet.shown', { shown, n })));
    this.empty.hidden = n > 0;
    this.empty.textContent = t('fleet.empty');
  }

  /** The rows in view and a margin, the spacers for the others; cells rewritten where they changed. */
  private renderWindow(): void {
    const rowPx = this.rowPx || ROW_PX;
    const { first, last } = this.rowRange(rowPx);
    // (a drone gone since `shown` was worked out has no row: left out until the next render)
    const ids = this.shown.slice(first, last).filter((id) => this.store.drones.has(id));
    const keep = new Set(ids);
    for (const [id, row] of this.rows) if (!keep.has(id)) { row.tr.remove(); this.rows.delete(id); }
    for (const id of ids) { const d = this.store.drones.get(id); if (d) this.update(d); }
    this.before.style.height = `${first * rowPx}px`;
    this.after.style.height = `${(this.shown.length - last) * rowPx}px`;
    const windowKey = ids.join('\n');
    if (windowKey !== this.windowKey) {
      this.windowKey = windowKey;
      const focused = document.activeElement;
      this.body.replaceChildren(...ids.map((id) => this.rows.get(id)!.tr));
      if (focused instanceof HTMLElement && focused.parentElement === this.body) focused.focus({ preventScroll: true });
    }
    if (!this.rowPx && this.body.firstElementChild) {
      this.rowPx = (this.body.firstElementChild as HTMLElement).offsetHeight || 0;
      if (this.rowPx && this.rowPx !== rowPx) { this.before.style.height = `${first * this.rowPx}px`; this.after.style.height = `${(this.shown.length - last) * this.rowPx}px`; }
    }
  }

  /** Which of the shown drones get rows: those in view (the window's height until the list has its own) and a margin. */
  private rowRange(rowPx: number): { first: number; last: number } {
    const n = this.shown.length;
    const constrained = this.scroller.scrollHeight > this.scroller.clientHeight;
    const viewPx = constrained ? this.scroller.clientHeight : window.innerHeight;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / rowPx) - MARGIN_ROWS);
    const last = Math.min(n, Math.ceil((this.scroller.scrollTop + viewPx) / rowPx) + MARGIN_ROWS);
    return { first: Math.min(first, Math.max(0, last - 1)), last };
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
      row = { tr, state, battery, link, task, mode, key: '' };
      this.rows.set(d.id, row);
    }
    // a cheap key of what the row shows; the texts are only built when it changed
    const key = rowKey(d, d.id === this.store.selectedId);
    if (key === row.key) return;
    row.key = key;
    const state = droneState(d);
    row.tr.dataset.state = state;
    row.tr.classList.toggle('selected', d.id === this.store.selectedId);
    row.state.textContent = stateLabel(state);
    row.state.style.setProperty('--c', STATE_COLORS[state]);
    row.battery.textContent = batteryText(d);
    row.link.textContent = linkText(d);
    row.link.className = d.connected ? '' : 'bad';
    row.task.textContent = taskText(d);
    row.mode.textContent = modeText(d.mode);
  }
}

/** What a row shows, cheaply: when it is unchanged, so are the row's cells (and the filter's text). */
function rowKey(d: Drone, selected: boolean): string {
  const pct = d.battery?.remainingPct;
  return `${droneState(d)}|${pct == null ? '' : Math.round(pct)}|${d.connected}|${Math.round(d.link?.packetLossPct ?? 0)}|${d.mode}|${d.task?.kind ?? ''}|${selected}`;
}
