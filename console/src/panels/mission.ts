/**
 * The selected drone's mission: downloaded from the vehicle (GET /api/drones/:id/mission) when the
 * drone is selected, when its item count changes and when it switches to AUTO (a new mission
 * started); drawn on the map as a line with numbered waypoints, the item it flies to (telemetry
 * `mission.current`) highlighted here and on the map. Viewers see it too (it sends nothing).
 */
import { ApiError, type ApiClient } from '../api/client.ts';
import type { Drone, MissionDownload, MissionItem } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import type { MapAdapter } from '../map/adapter.ts';
import { missionFeatures } from '../map/plan-features.ts';
import { fill, h } from './dom.ts';
import { errorLabel, missionCommandLabel } from './format.ts';

const SHOWN_ITEMS = 40;

export class MissionView {
  readonly el = h('div', { class: 'mission', 'data-test': 'mission' });
  private droneId: string | null = null;
  private items: MissionItem[] = [];
  private firstSeq = 0;
  private loading = false;
  /** The vehicle's mission may differ from the one shown. */
  private stale = false;
  private error: string | null = null;
  /** What the shown items were loaded for: the count, the mode. */
  private loadedCount = -1;
  private lastMode = '';
  private shownKey = '';
  private generation = 0;

  constructor(private readonly api: ApiClient, private readonly map: () => MapAdapter | null) {}

  /** Every frame the drone changed: reload when needed, redraw only when what is shown changed. */
  update(d: Drone | null): void {
    if ((d?.id ?? null) !== this.droneId) this.reset(d?.id ?? null);
    if (!d) return this.draw(null);
    const count = d.mission?.count ?? 0;
    const enteredAuto = d.mode === 'AUTO' && this.lastMode !== 'AUTO' && this.lastMode !== '';
    this.lastMode = d.mode;
    if (count !== this.loadedCount || enteredAuto) this.stale = true;
    if (this.stale && !this.loading) void this.load(d.id, count);
    this.draw(d);
  }

  /** Language changed. */
  rerender(d: Drone | null): void {
    this.shownKey = '';
    this.draw(d);
  }

  private reset(id: string | null): void {
    this.generation++;
    this.droneId = id;
    this.items = [];
    this.firstSeq = 0;
    this.loading = false;
    this.stale = false;
    this.error = null;
    this.loadedCount = -1;
    this.lastMode = '';
    this.shownKey = '';
  }

  private async load(id: string, count: number): Promise<void> {
    const generation = this.generation;
    this.loading = true;
    this.stale = false;
    this.loadedCount = count;
    this.shownKey = '';
    try {
      const got = count === 0 ? { items: [], firstSeq: 0 } : await this.api.get<MissionDownload>(`/api/drones/${encodeURIComponent(id)}/mission`);
      if (generation !== this.generation) return;
      this.items = got.items;
      this.firstSeq = got.firstSeq ?? 0;
      this.error = null;
    } catch (err) {
      if (generation !== this.generation) return;
      this.error = err instanceof ApiError ? err.code : 'NETWORK';
    } finally {
      if (generation === this.generation) { this.loading = false; this.shownKey = ''; }
    }
  }

  private draw(d: Drone | null): void {
    const current = d?.mission?.current ?? null;
    const key = `${d?.id}|${this.loading}|${this.error}|${this.items.length}|${current}`;
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.map()?.setData('mission', missionFeatures(d ? this.items : [], this.firstSeq, current));
    if (!d) { this.el.replaceChildren(); return; }
    const index = current === null ? -1 : current - this.firstSeq;
    const currentItem = this.items[index];
    const status = this.loading ? t('mission.loading')
      : this.error ? t('mission.error', { what: errorLabel(this.error) })
        : this.items.length === 0 ? t('mission.none')
          : t('mission.count', { n: this.items.length });
    fill(this.el,
      h('h3', {}, t('mission.title')),
      h('p', { class: 'muted', 'data-test': 'mission-status' }, status),
      currentItem ? h('p', { 'data-test': 'mission-current', 'data-index': index + 1 }, t('mission.current', { n: index + 1 }), ' ', missionCommandLabel(currentItem.command)) : null,
      this.items.length ? h('ol', { class: 'mission-items' },
        ...this.items.slice(0, SHOWN_ITEMS).map((item, i) => h('li', { class: i === index ? 'current' : '', value: i + 1 }, missionCommandLabel(item.command),
          item.altitudeM !== undefined && item.lat ? ` · ${t('unit.m', { v: Math.round(item.altitudeM) })}` : ''))) : null,
      this.items.length > SHOWN_ITEMS ? h('p', { class: 'muted' }, t('mission.more', { n: this.items.length - SHOWN_ITEMS })) : null);
  }
}
