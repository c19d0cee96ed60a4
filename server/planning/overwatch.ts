/**
 * Large-event overwatch: observation stations whose camera footprints cover every point of
 * interest (greedy set cover), and a relief schedule over the event window that never leaves a
 * station uncovered.
 *
 * Each sortie: launch from the station's base, transit out at cruise (plus the climb), hold the
 * station, transit back (plus the descent), swap. Usable endurance (after the reserve) pays for
 * both transits and the time on station A. The relief arrives `handoverMarginS` before the
 * incumbent leaves, so a station advances A − margin per sortie. Drones are assigned per base by
 * interval partitioning (each sortie takes the drone that has been ready longest, a new one only
 * when none is): optimal for the given sortie times. The stations' sortie phases are staggered so
 * that reliefs do not all fall due at once; the schedule keeps whichever phasing needs the fewest
 * drones, reported as `fleetSize` next to the bound m·(⌈R⌉+1).
 */
import { booleanPointInPolygon, point } from '@turf/turf';
import type { Polygon } from 'geojson';
import type { Airspace } from './airspace.ts';
import { DEFAULT_CAMERA, footprintWidthM, type CameraSpec } from './coverage.ts';
import { airframeOf, DEFAULT_RESERVE_PCT, round1, type Airframe } from './figures.ts';
import { frameAround, type LocalFrame, type XY } from './local-frame.ts';
import { routeAround } from './route-around.ts';
import { PlanningError, type LatLon } from './types.ts';
import { dist, polylineLengthM } from './vec.ts';

export interface Poi extends LatLon {
  priority?: number;
}

export interface OverwatchOptions {
  venue: Polygon;
  pois: Poi[];
  window: { start: string; end: string };
  bases: LatLon[];
  airframe: Airframe & { cruiseMps: number; enduranceS: number; swapS: number };
  altitudeM: number;
  camera?: CameraSpec;
  /** The relief is on station this long before the incumbent leaves (default 60 s). */
  handoverMarginS?: number;
  reservePct?: number;
  airspace?: Airspace;
}

export interface Station extends LatLon {
  id: string;
  altitudeM: number;
  radiusM: number;
  /** Indexes into `pois`. */
  covers: number[];
  /** Index into `bases` of the base that serves it. */
  baseIndex: number;
  /** One-way transit from that base, metres (routed round no-fly zones) and seconds at cruise. */
  transitM: number;
  transitS: number;
  /** Time on station per sortie, s. */
  activeS: number;
}

export interface ScheduleEntry {
  /** Drone slot, 1…fleetSize. */
  drone: number;
  stationId: string;
  /** On station from–to (ISO). */
  from: string;
  to: string;
  /** Leaves the base (ISO), back at the base, ready again after the swap. */
  launchAt: string;
  returnAt: string;
  readyAt: string;
  baseIndex: number;
}

export interface OverwatchResult {
  stations: Station[];
  schedule: ScheduleEntry[];
  fleetSize: number;
  fleetBound: number;
  /** R of the bound: recovery (transit back + descent + swap + climb + transit out) / time on station, worst station. */
  recoveryRatio: number;
  /** Total transit flown by all sorties, m. */
  transitM: number;
  /** Largest battery use of one sortie, percent. */
  sortieBatteryPct: number;
  warnings: string[];
}

export const DEFAULT_HANDOVER_MARGIN_S = 60;

export function planOverwatch(o: OverwatchOptions): OverwatchResult {
  const t0 = Date.parse(o.window.start);
  const t1 = Date.parse(o.window.end);
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || t1 <= t0) throw new PlanningError('BAD_PLAN_INPUT', 'window.start must be before window.end (ISO times)', { window: o.window });
  if (o.pois.length === 0) throw new PlanningError('BAD_PLAN_INPUT', 'overwatch needs at least one point of interest');
  if (o.bases.length === 0) throw new PlanningError('BAD_PLAN_INPUT', 'overwatch needs at least one base');
  const warnings: string[] = [];
  const airframe = airframeOf(o.airframe);
  const marginS = o.handoverMarginS ?? DEFAULT_HANDOVER_MARGIN_S;
  const reservePct = o.reservePct ?? DEFAULT_RESERVE_PCT;
  const camera = o.camera ?? DEFAULT_CAMERA;
  const radiusM = footprintWidthM(o.altitudeM, camera.hfovDeg) / 2;
  const frame = frameAround(o.pois.map((p) => [p.lon, p.lat]));
  const outside = o.pois.filter((p) => !booleanPointInPolygon(point([p.lon, p.lat]), o.venue)).length;
  if (outside) warnings.push(`${outside} point(s) of interest lie outside the venue`);

  const centres = coverPois(o.pois, frame, radiusM);
  const usableS = airframe.enduranceS * (1 - reservePct / 100);
  const climbS = o.altitudeM / airframe.climbMps;
  const descentS = o.altitudeM / airframe.descentMps;
  const stations: Station[] = centres.map((c, i) => {
    const at = frame.toLatLon(c.xy);
    const { baseIndex, transitM } = nearestBase(at, o.bases, o.airspace, o.altitudeM);
    // rounded to 0.1 s, transit up and time on station down, so a sortie never overdraws
    const transitS = Math.ceil((10 * transitM) / airframe.cruiseMps) / 10;
    const activeS = Math.floor(10 * (usableS - 2 * transitS - climbS - descentS)) / 10;
    const id = `S${i + 1}`;
    if (activeS <= marginS) {
      throw new PlanningError('PLAN_INFEASIBLE', `station ${id} is too far from its base: ${Math.round(activeS)} s on station per battery does not cover a ${marginS} s handover`, { stationId: id, activeS, transitS });
    }
    return { id, lat: at.lat, lon: at.lon, altitudeM: o.altitudeM, radiusM: round1(radiusM), covers: c.covers, baseIndex, transitM: round1(transitM), transitS, activeS };
  });

  const recoveryRatio = Math.max(...stations.map((s) => (2 * s.transitS + climbS + descentS + airframe.swapS) / s.activeS));
  const fleetBound = stations.length * (Math.ceil(recoveryRatio) + 1);

  const windowS = (t1 - t0) / 1000;
  let best: Timeline[] | null = null;
  for (const phasing of ['aligned', 'staggered', 'uniform'] as const) {
    const sorties = stations.flatMap((s) => stationSorties(s, stations, windowS, marginS, { climbS, descentS, swapS: airframe.swapS }, phasing));
    const assigned = assignDrones(sorties);
    if (!best || fleetOf(assigned) < fleetOf(best)) best = assigned;
  }
  const timeline = best!;
  const stationOrder = new Map(stations.map((s, i) => [s, i]));
  const iso = isoFormatter();
  const at = (s: number) => iso(t0 + Math.round(s * 1000));
  const schedule: ScheduleEntry[] = timeline
    .sort((a, b) => a.onS - b.onS || stationOrder.get(a.station)! - stationOrder.get(b.station)!)
    .map((t) => ({ drone: t.drone, stationId: t.station.id, from: at(t.onS), to: at(t.offS), launchAt: at(t.launchS), returnAt: at(t.returnS), readyAt: at(t.readyS), baseIndex: t.station.baseIndex }));
  const sortieBatteryPct = Math.max(...timeline.map((t) => (100 * (t.returnS - t.launchS)) / airframe.enduranceS));
  return {
    stations, schedule, fleetSize: fleetOf(timeline), fleetBound, recoveryRatio: Math.round(recoveryRatio * 1000) / 1000,
    transitM: round1(timeline.reduce((s, t) => s + 2 * t.station.transitM, 0)), sortieBatteryPct: round1(sortieBatteryPct), warnings,
  };
}

// ---------------------------------------------------------------------------------------------
// Stations: greedy set cover

interface Centre {
  xy: XY;
  covers: number[];
}

/**
 * Candidate centres are the POIs themselves and the midpoints of POI pairs closer than a
 * footprint; each round takes the candidate covering the most uncovered POIs (ties: the larger
 * priority sum), until every POI is covered.
 */
export function coverPois(pois: Poi[], frame: LocalFrame, radiusM: number): Centre[] {
  const xy = pois.map((p) => frame.fromLatLon(p));
  const r = radiusM * (1 - 1e-9);
  const candidates: XY[] = [...xy];
  for (let i = 0; i < xy.length; i++) {
    for (let j = i + 1; j < xy.length; j++) {
      if (dist(xy[i]!, xy[j]!) <= 2 * r) candidates.push([(xy[i]![0] + xy[j]![0]) / 2, (xy[i]![1] + xy[j]![1]) / 2]);
    }
  }
  const sets = candidates.map((c) => xy.flatMap((p, k) => (dist(c, p) <= r ? [k] : [])));
  const covered = new Uint8Array(pois.length);
  let left = pois.length;
  const out: Centre[] = [];
  while (left > 0) {
    let best = -1;
    let bestCount = 0;
    let bestPriority = -Infinity;
    sets.forEach((set, c) => {
      let count = 0;
      let priority = 0;
      for (const k of set) if (!covered[k]) {
        count++;
        priority += pois[k]!.priority ?? 1;
      }
      if (count > bestCount || (count === bestCount && count > 0 && priority > bestPriority)) {
        best = c;
        bestCount = count;
        bestPriority = priority;
      }
    });
    const covers = sets[best]!.filter((k) => !covered[k]);
    for (const k of covers) covered[k] = 1;
    left -= covers.length;
    // centre the station on what it covers (the middle of their box), if that still covers them
    const bx = covers.map((k) => xy[k]![0]);
    const by = covers.map((k) => xy[k]![1]);
    const mid: XY = [(Math.min(...bx) + Math.max(...bx)) / 2, (Math.min(...by) + Math.max(...by)) / 2];
    const centre = covers.every((k) => dist(mid, xy[k]!) <= r) ? mid : candidates[best]!;
    out.push({ xy: centre, covers: sets[best]!.filter((k) => dist(centre, xy[k]!) <= r) });
  }
  return out;
}

function nearestBase(at: LatLon, bases: LatLon[], airspace: Airspace | undefined, altitudeM: number): { baseIndex: number; transitM: number } {
  let best = { baseIndex: -1, transitM: Infinity };
  bases.forEach((b, i) => {
    let transitM: number;
    if (airspace && (airspace.noFly?.length || airspace.operatingArea)) {
      const r = routeAround(b, at, airspace, { altitudeM });
      if (!r.ok) return;
      transitM = r.lengthM;
    } else {
      const f = frameAround([[b.lon, b.lat]]);
      transitM = polylineLengthM([f.fromLatLon(b), f.fromLatLon(at)]);
    }
    if (transitM < best.transitM) best = { baseIndex: i, transitM };
  });
  if (best.baseIndex < 0) throw new PlanningError('PLAN_INFEASIBLE', 'no base can reach the station without crossing a no-fly zone', { station: at });
  return best;
}

// ---------------------------------------------------------------------------------------------
// Schedule

interface Timeline {
  station: Station;
  onS: number;
  offS: number;
  launchS: number;
  returnS: number;
  readyS: number;
  drone: number;
}

/** One station's sorties over [0, windowS] (seconds from the window start). */
function stationSorties(s: Station, all: Station[], windowS: number, marginS: number, v: { climbS: number; descentS: number; swapS: number }, phasing: 'aligned' | 'staggered' | 'uniform'): Timeline[] {
  // aligned: every station starts a full sortie at the window start (reliefs fall due together).
  // staggered: the stations of one base take turns (first sorties shortened by a phase), so
  //   their reliefs fall due one after another; each station then keeps its own period.
  // uniform: as staggered, but every station of a base holds for the shortest time on station
  //   of that base, so the turns keep their spacing for the whole window instead of drifting.
  const peers = all.filter((x) => x.baseIndex === s.baseIndex);
  const activeS = phasing === 'uniform' ? Math.min(...peers.map((x) => x.activeS)) : s.activeS;
  const stepS = activeS - marginS;
  const phaseS = phasing === 'aligned' ? 0 : (peers.indexOf(s) / peers.length) * stepS;
  const out: Timeline[] = [];
  let onS = 0;
  let offS = Math.min(windowS, activeS - phaseS);
  for (;;) {
    const returnS = offS + s.transitS + v.descentS;
    out.push({ station: s, onS, offS, launchS: onS - s.transitS - v.climbS, returnS, readyS: returnS + v.swapS, drone: 0 });
    if (offS >= windowS) break;
    onS = offS - marginS;
    offS = Math.min(windowS, onS + activeS);
  }
  return out;
}

/** Interval partitioning per base: every sortie takes the drone ready longest, or a new one. */
function assignDrones(sorties: Timeline[]): Timeline[] {
  sorties.sort((a, b) => a.launchS - b.launchS);
  const ready = new Map<number, { drone: number; readyS: number }[]>();
  let next = 1;
  for (const t of sorties) {
    const pool = ready.get(t.station.baseIndex) ?? [];
    ready.set(t.station.baseIndex, pool);
    let pick = -1;
    for (let i = 0; i < pool.length; i++) if (pool[i]!.readyS <= t.launchS + 1e-9 && (pick < 0 || pool[i]!.readyS < pool[pick]!.readyS)) pick = i;
    if (pick >= 0) {
      t.drone = pool[pick]!.drone;
      pool[pick]!.readyS = t.readyS;
    } else {
      t.drone = next++;
      pool.push({ drone: t.drone, readyS: t.readyS });
    }
  }
  return sorties;
}

/**
 * ISO 8601 (UTC, milliseconds) of epoch ms, as Date#toISOString writes it, without building a Date
 * per call: a schedule has thousands of times, and toISOString dominated the planning time.
 */
function isoFormatter(): (ms: number) => string {
  const days = new Map<number, string>();
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  return (ms) => {
    const day = Math.floor(ms / 86_400_000);
    let prefix = days.get(day);
    if (prefix === undefined) {
      prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
      days.set(day, prefix);
    }
    const r = ms - day * 86_400_000;
    return `${prefix}${pad(Math.floor(r / 3_600_000), 2)}:${pad(Math.floor(r / 60_000) % 60, 2)}:${pad(Math.floor(r / 1000) % 60, 2)}.${pad(r % 1000, 3)}Z`;
  };
}

function fleetOf(t: Timeline[]): number {
  return t.reduce((m, x) => Math.max(m, x.drone), 0);
}
