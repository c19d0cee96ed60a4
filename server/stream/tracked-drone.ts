/**
 * The stream's view of one drone: a copy of each top-level field as last seen at a tick, the
 * version at which each field last changed, and its JSON. Versions come from one counter shared by
 * all drones, so "what a client has not seen" is "fields with a version above the one it last got".
 */
import { Drone as DroneSchema, type Drone } from '../contracts/drone.ts';
import { copyInto, sameValue } from './plain-data.ts';

/** The Drone's top-level fields but `id` (which every telemetry entry carries anyway). */
export const FIELDS: readonly string[] = Object.keys(DroneSchema.properties).filter((k) => k !== 'id');
const LINK = FIELDS.indexOf('link');
const POSITION = FIELDS.indexOf('position');

/** `link.framesIn` moves with every frame; alone it refreshes `link` at most this often. */
export const LINK_COUNTER_REFRESH_MS = 1000;

export class TrackedDrone {
  readonly id: string;
  readonly index: number;
  /** The live state (the fleet's object, changed in place by the reducer). */
  readonly state: Drone;
  /** Highest field version. */
  version = 0;
  /** Changed since the last tick, and the receive time of the first such change. */
  dirty = false;
  dirtySinceMs = 0;
  private readonly seen: unknown[] = new Array(FIELDS.length).fill(undefined);
  private readonly versions: number[] = new Array(FIELDS.length).fill(0);
  private readonly json: string[] = new Array(FIELDS.length).fill('');
  private readonly idJson: string;
  private linkAtMs = -Infinity;
  private cacheFrom = -1;
  private cacheVersion = -1;
  private cacheEntry = '';

  constructor(state: Drone, index: number) {
    this.id = state.id;
    this.index = index;
    this.state = state;
    this.idJson = `{"id":${JSON.stringify(state.id)}`;
  }

  /** The position as of the last tick (bounding-box subscriptions use it). */
  get position(): Drone['position'] {
    return (this.seen[POSITION] ?? null) as Drone['position'];
  }

  /** Compare the live state with the last copy; give every changed field version `++counter.v`. */
  refresh(nowMs: number, counter: { v: number }): boolean {
    const state = this.state as unknown as Record<string, unknown>;
    let changed = false;
    for (let i = 0; i < FIELDS.length; i++) {
      const value = state[FIELDS[i]!];
      const before = this.seen[i];
      if (sameValue(value, before)) continue;
      if (i === LINK && before !== undefined && !this.linkChanged(value as Drone['link'], before as Drone['link'], nowMs)) continue;
      if (!changed) { counter.v++; changed = true; }
      if (i === LINK) this.linkAtMs = nowMs;
      this.seen[i] = copyInto(before, value);
      this.versions[i] = counter.v;
      this.json[i] = `"${FIELDS[i]}":${JSON.stringify(value ?? null)}`;
    }
    if (changed) this.version = counter.v;
    return changed;
  }

  /**
   * `{"id":…, <fields with a version above fromVersion>}`, or null when there are none. The last
   * one is cached: clients in step ask for the same entry within a tick.
   */
  entry(fromVersion: number): string | null {
    if (this.version <= fromVersion) return null;
    if (this.cacheFrom === fromVersion && this.cacheVersion === this.version) return this.cacheEntry;
    let out = this.idJson;
    for (let i = 0; i < FIELDS.length; i++) if (this.versions[i]! > fromVersion) out += ',' + this.json[i];
    out += '}';
    this.cacheFrom = fromVersion;
    this.cacheVersion = this.version;
    this.cacheEntry = out;
    return out;
  }

  private linkChanged(now: Drone['link'], before: Drone['link'], nowMs: number): boolean {
    const a = now as Record<string, unknown>;
    const b = before as Record<string, unknown>;
    for (const k in a) if (k !== 'framesIn' && !sameValue(a[k], b[k])) return true;
    return nowMs - this.linkAtMs >= LINK_COUNTER_REFRESH_MS;
  }
}
