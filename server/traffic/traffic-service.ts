/**
 * Traffic monitoring: sightings and segment counts → each road segment's level (free, slow,
 * congested, jammed) → a `traffic` event on every change.
 *
 *   POST /api/observations ──▶ ingest() ──▶ RoadMatcher (nearest road ≤ 15 m, heading fits)
 *                                      └──▶ SegmentLevel per road (window, thresholds, hysteresis)
 *   clock, every second ─────▶ evaluate ──▶ fleet.publish({ kind: 'traffic', roadId, level, previous, … })
 *                                          (the history recorder stores it with every other event)
 *
 * Levels live in memory (they are rebuilt from fresh sightings within a window after a restart);
 * the change history is durable: the events table, kind `traffic`.
 */
import { booleanPointInPolygon, point } from '@turf/turf';
import type { Polygon } from 'geojson';
import type { Logger } from 'pino';
import type { Road, SegmentCount, TrafficLevel, TrafficSegment } from '../contracts/road.ts';
import type { Observation } from '../contracts/zone.ts';
import type { Fleet } from '../fleet/fleet.ts';
import type { Store } from '../store/store.ts';
import type { Clock, TimerHandle } from '../time/clock.ts';
import { MIN_CONFIDENCE } from '../warnings/dwell-tracker.ts';
import { RoadMatcher, type MatchOptions } from './road-matcher.ts';
import { SegmentLevel, type LevelRule } from './segment-level.ts';

export interface TrafficOptions {
  store: Store;
  fleet: Fleet;
  clock: Clock;
  logger: Logger;
  rule?: Partial<LevelRule>;
  match?: Partial<MatchOptions>;
  /** How often levels are re-evaluated (default 1000 ms). */
  evaluateEveryMs?: number;
}

export interface TrafficIngestResult {
  /** Sightings placed on a road. */
  matched: number;
  /** Sightings with a speed that matched no road. */
  unmatched: number;
  /** Sightings left out: no speed, low confidence, or inside a parking zone (a parked car is not traffic). */
  ignored: number;
  /** Sightings and counts older than the window. */
  stale: number;
  /** Segment counts taken. */
  counts: number;
  /** Road ids of counts for roads that do not exist (the counts are dropped). */
  unknownRoads: string[];
}

export interface StoredTrafficEvent {
  id: number;
  at: string;
  roadId: string;
  level: TrafficLevel;
  previous: TrafficLevel;
  speedMps: number | null;
  densityPerKm: number | null;
  reason: string;
}

export function lanesOf(road: Pick<Road, 'direction' | 'lanes'>): number {
  return road.lanes ?? (road.direction === 'both' ? 2 : 1);
}

export class TrafficService {
  private clock: Clock;
  private roads = new Map<string, Road>();
  private matcher = new RoadMatcher([]);
  private readonly levels = new Map<string, SegmentLevel>();
  private timer: TimerHandle | null = null;
  private readonly everyMs: number;

  constructor(private readonly o: TrafficOptions) {
    this.clock = o.clock;
    this.everyMs = o.evaluateEveryMs ?? 1000;
    this.roadsChanged();
    this.timer = this.clock.setInterval(() => this.evaluate(), this.everyMs);
  }

  /**
   * The clock levels are kept on (default: the server's). A simulation at speedup hands its own
   * simulated clock here, so that windows and dwells run at the simulation's pace.
   */
  useClock(clock: Clock): void {
    this.timer?.cancel();
    this.clock = clock;
    this.timer = clock.setInterval(() => this.evaluate(), this.everyMs);
  }

  close(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** Re-read the roads from the store (after a create, update or delete). */
  roadsChanged(): void {
    const roads = this.o.store.roads.list();
    this.roads = new Map(roads.map((r) => [r.id, r]));
    this.matcher = new RoadMatcher(roads.map((r) => ({ id: r.id, coordinates: r.geometry.coordinates, direction: r.direction })), this.o.match ?? {});
    for (const id of [...this.levels.keys()]) if (!this.roads.has(id)) this.levels.delete(id);
    for (const r of roads) {
      const shape = { lengthM: this.matcher.lengthM(r.id)!, lanes: lanesOf(r), freeFlowMps: r.freeFlowMps };
      const existing = this.levels.get(r.id);
      if (existing) existing.setShape(shape);
      else this.levels.set(r.id, new SegmentLevel(shape, this.o.rule ?? {}));
    }
  }

  ingest(observations: readonly Observation[], counts: readonly SegmentCount[] = []): TrafficIngestResult {
    const nowMs = this.clock.nowMs();
    const out: TrafficIngestResult = { matched: 0, unmatched: 0, ignored: 0, stale: 0, counts: 0, unknownRoads: [] };
    const zones = observations.length ? this.o.store.zones.list().map((z) => z.geometry as Polygon) : [];
    for (const o of observations) {
      if (o.speedMps === undefined || (o.confidence ?? 1) < MIN_CONFIDENCE || zones.some((z) => booleanPointInPolygon(point([o.lon, o.lat]), z))) { out.ignored++; continue; }
      const m = this.matcher.match(o);
      if (!m) { out.unmatched++; continue; }
      const atMs = Math.min(Date.parse(o.at), nowMs);
      if (this.levels.get(m.roadId)!.addVehicle({ atMs, speedMps: o.speedMps, trackId: o.trackId, alongM: m.alongM }, nowMs)) out.matched++;
      else out.stale++;
    }
    const unknown = new Set<string>();
    for (const c of counts) {
      const level = this.levels.get(c.roadId);
      if (!level) { unknown.add(c.roadId); continue; }
      const atMs = Math.min(Date.parse(c.at), nowMs);
      if (level.addCount({ atMs, vehicles: c.vehicles, ...(c.meanSpeedMps !== undefined ? { meanSpeedMps: c.meanSpeedMps } : {}) }, nowMs)) out.counts++;
      else out.stale++;
    }
    out.unknownRoads = [...unknown];
    return out;
  }

  /** Every road's current level (GET /api/traffic), in the order the roads were created. */
  segments(): TrafficSegment[] {
    return [...this.roads.values()].map((r) => this.segmentOf(r));
  }

  segment(roadId: string): TrafficSegment | null {
    const r = this.roads.get(roadId);
    return r ? this.segmentOf(r) : null;
  }

  /** Where a broadcast about the road should be aimed: the slow traffic when there is some, else the middle of the road. */
  hotspot(roadId: string): { lat: number; lon: number; onSlowTraffic: boolean } | null {
    const level = this.levels.get(roadId);
    const lengthM = this.matcher.lengthM(roadId);
    if (!level || lengthM === null) return null;
    const slow = level.slowAlongM();
    return { ...this.matcher.pointAlong(roadId, slow ?? lengthM / 2)!, onSlowTraffic: slow !== null };
  }

  /** Level changes, newest first, from the stored events (written within about half a second of the change). */
  events(filter: { limit?: number; roadId?: string; before?: number } = {}): StoredTrafficEvent[] {
    const limit = filter.limit ?? 100;
    const rows = this.o.store.events.list({ kind: 'traffic', limit: filter.roadId ? Math.max(limit, 1000) : limit, ...(filter.before ? { before: filter.before } : {}) });
    return rows
      .map((e) => ({ id: e.id, at: e.at, ...(e.data as Omit<StoredTrafficEvent, 'id' | 'at'>) }))
      .filter((e) => !filter.roadId || e.roadId === filter.roadId)
      .slice(0, limit)
      .map((e) => ({ id: e.id, at: e.at, roadId: e.roadId, level: e.level, previous: e.previous, speedMps: e.speedMps ?? null, densityPerKm: e.densityPerKm ?? null, reason: e.reason ?? 'observed' }));
  }

  /** Re-evaluate every segment now (the timer calls it every second). */
  evaluate(): void {
    const nowMs = this.clock.nowMs();
    for (const [roadId, level] of this.levels) {
      const change = level.evaluate(nowMs);
      if (!change) continue;
      const road = this.roads.get(roadId)!;
      this.o.logger.info({ roadId, road: road.name, level: change.level, previous: change.previous, speedMps: change.estimate.speedMps, reason: change.reason }, 'traffic level changed');
      this.o.fleet.publish({
        kind: 'traffic', at: new Date(nowMs).toISOString(), roadId, name: road.name, level: change.level, previous: change.previous,
        speedMps: change.estimate.speedMps, densityPerKm: change.estimate.densityPerKm, reason: change.reason,
      });
    }
  }

  private segmentOf(r: Road): TrafficSegment {
    const level = this.levels.get(r.id)!;
    const est = level.estimate;
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const pending = level.pending;
    return {
      id: r.id, level: level.level, speedMps: est.speedMps, at: iso(level.evaluatedAtMs ?? this.clock.nowMs())!,
      name: r.name, freeFlowMps: r.freeFlowMps, speedRatio: est.speedRatio, densityPerKm: est.densityPerKm, samples: est.samples, observed: est.observed,
      since: iso(level.adoptedAtMs), pending: pending ? { level: pending.level, since: iso(pending.sinceMs)! } : null,
    };
  }
}
