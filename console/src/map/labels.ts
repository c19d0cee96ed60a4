/**
 * Call sign and battery labels next to the drones, as DOM elements over the map (the offline style
 * has no glyphs for text layers): only when zoomed in (LABEL_MIN_ZOOM), only for drones in view,
 * at most MAX_LABELS — the selected drone first, then those nearest the middle of the view — and
 * one per patch of the screen (drones parked side by side get one label, not a pile). Elements are
 * pooled and their text rewritten only when it changed, so an update costs a bounds check per
 * drone, a numeric sort of their distances, a sort of the nearest 240, and a projection per label
 * shown (the patches are told apart with the view's scale, without projecting).
 */
import type { Drone } from '../api/types.ts';
import { currentLang, t } from '../i18n/index.ts';
import type { MapAdapter } from './adapter.ts';

export const LABEL_MIN_ZOOM = 16;
export const MAX_LABELS = 60;
/** One label per cell of this size (CSS px): about a label's size. */
const CELL_W = 72;
const CELL_H = 18;
/** Drones considered for a label, nearest the middle first (some share a patch). */
const CANDIDATES = 4 * MAX_LABELS;

interface Label { el: HTMLDivElement; name: Text; battery: Text; droneId: string; pct: number; selected: boolean; lang: string }

export class DroneLabels {
  readonly el = document.createElement('div');
  private readonly pool: Label[] = [];
  /** Labels shown by the last update. */
  shown = 0;

  constructor() {
    this.el.className = 'drone-labels';
    this.el.dataset.test = 'drone-labels';
  }

  update(map: MapAdapter, drones: Iterable<Drone>, selectedId: string | null): void {
    let n = 0;
    if (map.zoom() >= LABEL_MIN_ZOOM) {
      const b = map.bounds();
      const midLat = (b.south + b.north) / 2;
      const midLon = (b.west + b.east) / 2;
      const kLon = Math.cos((midLat * Math.PI) / 180) ** 2;
      const inView: Drone[] = [];
      const far: number[] = [];
      for (const d of drones) {
        const p = d.position;
        if (!p || p.lat < b.south || p.lat > b.north || p.lon < b.west || p.lon > b.east) continue;
        inView.push(d);
        far.push(d.id === selectedId ? -1 : (p.lat - midLat) ** 2 + kLon * (p.lon - midLon) ** 2);
      }
      // only the nearest CANDIDATES are sorted: the threshold from a numeric sort (fast, native)
      const limit = far.length > CANDIDATES ? Float64Array.from(far).sort()[CANDIDATES - 1]! : Infinity;
      const nearest: number[] = [];
      for (let i = 0; i < far.length; i++) if (far[i]! <= limit) nearest.push(i);
      nearest.sort((a, c) => far[a]! - far[c]!);
      // pixels per degree here (near enough over one view to tell patches apart)
      const tl = map.project(b.west, b.north);
      const br = map.project(b.east, b.south);
      const cellLon = (CELL_W * (b.east - b.west)) / Math.max(1, br.x - tl.x);
      const cellLat = (CELL_H * (b.north - b.south)) / Math.max(1, br.y - tl.y);
      const taken = new Set<number>();
      for (let i = 0; i < nearest.length && n < MAX_LABELS; i++) {
        const d = inView[nearest[i]!]!;
        const cell = Math.floor((d.position!.lon - b.west) / cellLon) * 100_000 + Math.floor((b.north - d.position!.lat) / cellLat);
        if (taken.has(cell)) continue;
        taken.add(cell);
        this.place(n++, map.project(d.position!.lon, d.position!.lat), d, d.id === selectedId);
      }
    }
    for (let i = n; i < this.shown; i++) this.pool[i]!.el.hidden = true;
    this.shown = n;
  }

  private place(i: number, p: { x: number; y: number }, d: Drone, selected: boolean): void {
    const label = this.pool[i] ?? this.create();
    const pct = d.battery?.remainingPct == null ? -1 : Math.round(d.battery.remainingPct);
    if (label.droneId !== d.id || label.pct !== pct || label.selected !== selected || label.lang !== currentLang()) {
      label.droneId = d.id;
      label.pct = pct;
      label.selected = selected;
      label.lang = currentLang();
      label.name.data = d.callsign;
      label.battery.data = pct < 0 ? '' : t('unit.pct', { v: pct });
      label.el.classList.toggle('selected', selected);
      label.el.dataset.drone = d.id;
    }
    label.el.style.transform = `translate(${Math.round(p.x + 13)}px, ${Math.round(p.y - 9)}px)`;
    label.el.hidden = false;
  }

  private create(): Label {
    const el = document.createElement('div');
    el.className = 'drone-label';
    const nameEl = document.createElement('span');
    nameEl.className = 'raw';
    const name = document.createTextNode('');
    nameEl.append(name);
    const battery = document.createTextNode('');
    el.append(nameEl, ' ', battery);
    this.el.append(el);
    const label: Label = { el, name, battery, droneId: '', pct: -2, selected: false, lang: '' };
    this.pool.push(label);
    return label;
  }
}
