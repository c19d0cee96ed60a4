/**
 * Where idle drones should wait so that the next incident is reached sooner, judged on past
 * incident locations. Pure: incidents, drones, airspace and a flight profile in; wait points, the
 * expected time to scene before and after, out. No clock, no I/O, no randomness (the same input
 * gives the same output, and the drones' order in the input does not matter).
 *
 * The model
 * - Time to scene of an incident from a set of waiting drones = min over the drones of
 *   groundPrepS + altitudeM / climbMps + pathM / cruiseMps (the dispatcher's model for a drone on
 *   the ground: it waits landed at its wait point, arms, climbs straight up, then flies level at
 *   cruise). Wind, acceleration and the descent at the scene are left out.
 * - pathM is the straight line when that keeps routeAround's margin (10 m) clear of every no-fly
 *   zone that applies at altitudeM and inside the operating area, otherwise the length of the path
 *   routeAround would fly round them (same free space, same shortest path; see path-lengths.ts).
 * - An incident inside a no-fly zone (or within the margin of one, or outside the operating area)
 *   still counts: it is reached at the nearest point the drone may fly to (the zone's edge plus
 *   the margin, or the area's edge less it) and watched from there.
 * - A drone that now stands inside a no-fly zone (on the ground, e.g. at a base) or outside the
 *   operating area leaves by the shortest straight line to the free space; that distance is added
 *   to its times and its move.
 * - Incidents are weighted (`weight`, default 1; weight ≤ 0 or a bad position: left out). Means
 *   are weighted means; p90 is the weighted nearest rank: the least time t such that incidents
 *   reached within t carry at least 90 % of the weight.
 *
 * The method
 * - Candidate wait points: a grid over the incidents' bounding box (spacing gridM, default 150 m,
 *   widened so the grid has at most 2,500 points), the incident locations themselves, the
 *   drones' present positions (so staying put is always on the table) and `candidates`; those in
 *   a no-fly zone (with margin) or outside the operating area are dropped.
 * - Above 1,000 distinct incident locations, nearby incidents are pooled into one location that
 *   carries their weight (cells of gridM / 5, widened until at most 1,000 remain); the figures
 *   are then computed on the pooled locations.
 * - Choosing k wait points for k drones is the k-median problem over the candidates: greedy
 *   placement, then local search by swaps (bounded at 200 swaps), then points nobody needs are
 *   dropped (k-median.ts). When fewer than k points are of use (more drones than distinct
 *   incident locations), the other drones stay where they are.
 * - Incidents nothing can reach (shut in by zones) are left out; incidents a placement cannot
 *   reach are counted in currentUnreachable / suggestedUnreachable and left out of its figures.
 * - Drones go to the chosen points by a minimum-total-move assignment (Hungarian, assignment.ts).
 * - If the result is not better than where the drones are now, every drone stays put.
 */
import type { Airspace } from '../planning/airspace.ts';
import { frameAround, type XY } from '../planning/local-frame.ts';
import type { LatLon } from '../planning/types.ts';
import { assignMinCost } from './assignment.ts';
import { kMedian } from './k-median.ts';
import { PathLengths } from './path-lengths.ts';

export interface PastIncident {
  lat: number;
  lon: number;
  /** e.g. priority or recency (default 1; ≤ 0 leaves the incident out) */
  weight?: number;
}

export interface WaitingDrone {
  droneId: string;
  lat: number;
  lon: number;
}

export interface PrepositionInput {
  incidents: PastIncident[];
  drones: WaitingDrone[];
  airspace: Airspace;
  profile: { cruiseMps: number; climbMps: number; groundPrepS: number };
  /** Height the drone flies to the scene at, above take-off. */
  altitudeM: number;
  /** candidate wait points: a grid over the incidents' bounding box with this spacing (default 150 m), minus points inside no-fly zones / outside the operating area */
  gridM?: number;
  /** optional extra candidates, e.g. bases and rooftops */
  candidates?: Array<{ lat: number; lon: number }>;
  /** Clearance from no-fly zones and the operating area's edge (default routeAround's, 10 m). */
  marginM?: number;
}

export interface PrepositionResult {
  /** One per drone, in the input's order; a drone that stays has its own position and moveM 0. */
  suggestions: Array<{ droneId: string; lat: number; lon: number; moveM: number }>;
  expected: {
    currentMeanS: number;
    currentP90S: number;
    suggestedMeanS: number;
    suggestedP90S: number;
    improvementMeanS: number;
    /** Incidents no drone could reach where they wait now / would wait (left out of the figures). */
    currentUnreachable?: number;
    suggestedUnreachable?: number;
  };
  incidentsUsed: number;
  /** Grid spacing used (gridM, or wider when the grid would have had more than 2,500 points). */
  gridM?: number;
  /** Wait points considered after dropping those in no-fly zones and outside the operating area. */
  candidatesConsidered?: number;
}

export const DEFAULT_GRID_M = 150;
export const MAX_GRID_POINTS = 2500;
/** Above this many distinct incident locations, incidents are pooled into cells (gridM / 5, or wider). */
export const MAX_INCIDENT_POINTS = 1000;
/** Stand-in for "no path" inside the optimisation (keeps the arithmetic finite). */
const UNREACHABLE_M = 1e7;
/** Positions closer than this are the same wait point. */
const SAME_POINT_M = 0.01;

interface IncidentPoint {
  xy: XY;
  weight: number;
  /** How many input incidents this point stands for. */
  count: number;
}

/** Expected time to scene over the incidents, for one placement of the drones (rounded to 0.1 s). */
interface Figures {
  meanS: number;
  p90S: number;
  /** Incidents no drone of the placement can reach (left out of meanS and p90S). */
  unreachable: number;
}

const NO_FIGURES: Figures = { meanS: 0, p90S: 0, unreachable: 0 };

interface Candidate {
  xy: XY;
  at: LatLon;
}

export function suggestPrepositions(input: PrepositionInput): PrepositionResult {
  const { profile, altitudeM } = input;
  for (const [name, v] of [['cruiseMps', profile.cruiseMps], ['climbMps', profile.climbMps]] as const) {
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`profile.${name} must be a positive number (got ${v})`);
  }
  if (!(profile.groundPrepS >= 0) || !(altitudeM >= 0)) throw new RangeError('profile.groundPrepS and altitudeM must be ≥ 0');
  const toSeconds = (pathM: number) => timeToSceneS(pathM, profile, altitudeM);

  const drones = input.drones.map((d, index) => ({ ...d, index })).sort((a, b) => (a.droneId < b.droneId ? -1 : a.droneId > b.droneId ? 1 : a.index - b.index));
  const incidents = input.incidents.filter((i) => Number.isFinite(i.lat) && Number.isFinite(i.lon) && (i.weight === undefined || (Number.isFinite(i.weight) && i.weight > 0)));
  const stayPut = (now: Figures = NO_FIGURES, incidentsUsed = 0): PrepositionResult => ({
    suggestions: input.drones.map((d) => ({ droneId: d.droneId, lat: d.lat, lon: d.lon, moveM: 0 })),
    expected: {
      currentMeanS: now.meanS, currentP90S: now.p90S, suggestedMeanS: now.meanS, suggestedP90S: now.p90S, improvementMeanS: 0,
      currentUnreachable: now.unreachable, suggestedUnreachable: now.unreachable,
    },
    incidentsUsed,
  });
  if (drones.length === 0 || incidents.length === 0) return stayPut();

  const frame = frameAround([...incidents, ...drones].map((p) => [p.lon, p.lat]));
  const extras = (input.candidates ?? []).filter((c) => Number.isFinite(c.lat) && Number.isFinite(c.lon));
  const paths = new PathLengths(input.airspace, {
    frame, altitudeM, ...(input.marginM !== undefined ? { marginM: input.marginM } : {}),
    around: [...incidents, ...drones, ...extras].map((p) => frame.fromLatLon(p)),
  });
  if (!paths.hasFreeSpace) return stayPut();

  // Incidents, where they are reached from.
  const requestedGridM = input.gridM !== undefined && input.gridM > 0 && Number.isFinite(input.gridM) ? input.gridM : DEFAULT_GRID_M;
  let points = incidentPoints(incidents.map((i) => ({ xy: paths.nearestFree(frame.fromLatLon(i))!, weight: i.weight ?? 1, count: 1 })), requestedGridM);

  // Candidate wait points.
  const grid = gridOver(points.map((p) => p.xy), requestedGridM);
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  const offer = (xy: XY, at: LatLon) => {
    const key = `${Math.round(xy[0] / SAME_POINT_M)},${Math.round(xy[1] / SAME_POINT_M)}`;
    if (seen.has(key) || !paths.isFree(xy)) return;
    seen.add(key);
    candidates.push({ xy, at });
  };
  for (const d of drones) offer(frame.fromLatLon(d), { lat: d.lat, lon: d.lon });
  for (const c of extras) offer(frame.fromLatLon(c), { lat: c.lat, lon: c.lon });
  for (const p of points) offer(p.xy, frame.toLatLon(p.xy));
  for (const xy of grid.points) offer(xy, frame.toLatLon(xy));

  // Lengths: every candidate and every drone to every incident.
  const droneAt = drones.map((d) => {
    const xy = frame.fromLatLon(d);
    const free = paths.nearestFree(xy)!;
    return { site: paths.site(free), leaveM: Math.hypot(free[0] - xy[0], free[1] - xy[1]) };
  });
  let incidentSites = points.map((p) => paths.site(p.xy));
  const candidateSites = candidates.map((c) => paths.site(c.xy));
  let n = points.length;
  let fromCandidate = new Float64Array(candidates.length * n);
  let fromDrone = new Float64Array(drones.length * n);
  for (let c = 0; c < candidates.length; c++) paths.lengthsFrom(candidateSites[c]!, incidentSites, fromCandidate, c * n);
  for (let d = 0; d < drones.length; d++) {
    paths.lengthsFrom(droneAt[d]!.site, incidentSites, fromDrone, d * n);
    for (let i = d * n; i < (d + 1) * n; i++) fromDrone[i] = fromDrone[i]! + droneAt[d]!.leaveM;
  }
  const reachable = new Uint8Array(n);
  markReachable(fromCandidate, n, reachable);
  markReachable(fromDrone, n, reachable);
  // An incident nothing can reach (cut off by zones) tells nothing about where to wait.
  if (reachable.some((r) => !r)) {
    const keep = [...reachable.keys()].filter((i) => reachable[i]);
    fromCandidate = compactColumns(fromCandidate, candidates.length, n, keep);
    fromDrone = compactColumns(fromDrone, drones.length, n, keep);
    points = keep.map((i) => points[i]!);
    incidentSites = keep.map((i) => incidentSites[i]!);
    n = keep.length;
  }
  const incidentsUsed = points.reduce((s, p) => s + p.count, 0);
  if (n === 0) return stayPut(undefined, 0);
  const weights = Float64Array.from(points.map((p) => p.weight));

  const current = nearestOf(drones.map((_, d) => (i: number) => fromDrone[d * n + i]!), n);
  const now = figuresOf(current, points, toSeconds);

  // Choose the wait points, then who goes where.
  const { chosen } = kMedian({ distances: fromCandidate, candidates: candidates.length, weights, k: drones.length });
  const moveM = chosen.map((c) => droneAt.map((d) => Math.min(UNREACHABLE_M, d.leaveM + paths.lengthM(d.site, candidateSites[c]!))));
  const droneOfPoint = assignMinCost(moveM);
  const pointOfDrone = new Array<number>(drones.length).fill(-1);
  droneOfPoint.forEach((d, r) => {
    if (moveM[r]![d]! < UNREACHABLE_M) pointOfDrone[d] = r;
  });
  const suggested = nearestOf(drones.map((_, d) => {
    const r = pointOfDrone[d]!;
    const row = r >= 0 ? chosen[r]! * n : -1;
    return row >= 0 ? (i: number) => fromCandidate[row + i]! : (i: number) => fromDrone[d * n + i]!;
  }), n);

  const costOf = (dist: Float64Array) => dist.reduce((s, v, i) => s + weights[i]! * v, 0);
  const currentCost = costOf(current);
  if (!(costOf(suggested) < currentCost * (1 - 1e-12))) {
    return { ...stayPut(now, incidentsUsed), gridM: grid.spacingM, candidatesConsidered: candidates.length };
  }
  const then = figuresOf(suggested, points, toSeconds);
  const byInputOrder = new Array<PrepositionResult['suggestions'][number]>(drones.length);
  drones.forEach((d, k) => {
    const r = pointOfDrone[k]!;
    const target = r >= 0 ? candidates[chosen[r]!]! : null;
    const moved = target ? moveM[r]![k]! : 0;
    byInputOrder[d.index] = target && moved > 0
      ? { droneId: d.droneId, lat: target.at.lat, lon: target.at.lon, moveM: round1(moved) }
      : { droneId: d.droneId, lat: d.lat, lon: d.lon, moveM: 0 };
  });
  return {
    suggestions: byInputOrder,
    expected: {
      currentMeanS: now.meanS,
      currentP90S: now.p90S,
      suggestedMeanS: then.meanS,
      suggestedP90S: then.p90S,
      improvementMeanS: round1(now.meanS - then.meanS),
      currentUnreachable: now.unreachable,
      suggestedUnreachable: then.unreachable,
    },
    incidentsUsed,
    gridM: grid.spacingM,
    candidatesConsidered: candidates.length,
  };
}

/**
 * Distinct incident locations with their weights summed; when there are more than
 * MAX_INCIDENT_POINTS, pooled into square cells of gridM / 5, widened until there are not.
 */
function incidentPoints(raw: IncidentPoint[], gridM: number): IncidentPoint[] {
  const distinct = pool(raw, SAME_POINT_M);
  let pooled = distinct;
  for (let cellM = gridM / 5; pooled.length > MAX_INCIDENT_POINTS; cellM *= 1.5) pooled = pool(distinct, cellM);
  return pooled;
}

/** Points in the same cell become one: the member nearest the cell's weighted centroid, carrying them all. */
function pool(pointsIn: IncidentPoint[], cellM: number): IncidentPoint[] {
  const cells = new Map<string, IncidentPoint[]>();
  for (const p of pointsIn) {
    const key = `${Math.round(p.xy[0] / cellM)},${Math.round(p.xy[1] / cellM)}`;
    const cell = cells.get(key);
    if (cell) cell.push(p);
    else cells.set(key, [p]);
  }
  return [...cells.values()].map((members) => {
    const weight = members.reduce((s, p) => s + p.weight, 0);
    const cx = members.reduce((s, p) => s + p.weight * p.xy[0], 0) / weight;
    const cy = members.reduce((s, p) => s + p.weight * p.xy[1], 0) / weight;
    let best = members[0]!;
    for (const p of members) if (Math.hypot(p.xy[0] - cx, p.xy[1] - cy) < Math.hypot(best.xy[0] - cx, best.xy[1] - cy)) best = p;
    return { xy: best.xy, weight, count: members.reduce((s, p) => s + p.count, 0) };
  });
}

/**
 * A grid over the points' bounding box that includes its edges: the spacing is the requested one,
 * shrunk a little so that a whole number of steps spans each side, widened when there would be
 * more than MAX_GRID_POINTS points.
 */
function gridOver(pts: XY[], requestedM: number): { points: XY[]; spacingM: number } {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const p of pts) {
    minX = Math.min(minX, p[0]); maxX = Math.max(maxX, p[0]);
    minY = Math.min(minY, p[1]); maxY = Math.max(maxY, p[1]);
  }
  const w = maxX - minX;
  const h = maxY - minY;
  let spacingM = requestedM;
  // steps per side (a side up to 1 % over a whole number of steps takes no extra step: rounding,
  // and frames centred elsewhere, put a side a hair over)
  const steps = (side: number, s: number) => Math.max(1, Math.ceil(side / s - 0.01));
  while ((steps(w, spacingM) + 1) * (steps(h, spacingM) + 1) > MAX_GRID_POINTS) spacingM *= 1.1;
  const nx = steps(w, spacingM);
  const ny = steps(h, spacingM);
  const out: XY[] = [];
  for (let j = 0; j <= ny; j++) {
    for (let i = 0; i <= nx; i++) out.push([minX + (w * i) / nx, minY + (h * j) / ny]);
  }
  return { points: out, spacingM: round1(spacingM) };
}

/** Per incident, the least of the given drones' lengths. */
function nearestOf(rows: Array<(i: number) => number>, n: number): Float64Array {
  const out = new Float64Array(n).fill(UNREACHABLE_M);
  for (const row of rows) for (let i = 0; i < n; i++) out[i] = Math.min(out[i]!, row(i));
  return out;
}

/** Weighted mean and weighted nearest-rank p90 of the times to scene, over the reachable incidents. */
function figuresOf(pathM: Float64Array, points: IncidentPoint[], toSeconds: (m: number) => number): Figures {
  const reached: Array<{ s: number; w: number }> = [];
  let unreachable = 0;
  pathM.forEach((m, i) => {
    if (m >= UNREACHABLE_M) unreachable += points[i]!.count;
    else reached.push({ s: toSeconds(m), w: points[i]!.weight });
  });
  const totalW = reached.reduce((s, r) => s + r.w, 0);
  if (reached.length === 0 || totalW <= 0) return { ...NO_FIGURES, unreachable };
  const mean = reached.reduce((s, r) => s + r.s * r.w, 0) / totalW;
  reached.sort((a, b) => a.s - b.s);
  let cumulative = 0;
  let p90 = reached[reached.length - 1]!.s;
  for (const r of reached) {
    cumulative += r.w;
    if (cumulative >= 0.9 * totalW * (1 - 1e-12)) {
      p90 = r.s;
      break;
    }
  }
  return { meanS: round1(mean), p90S: round1(p90), unreachable };
}

/** Marks the incidents (columns) some row reaches, and caps "no path" at UNREACHABLE_M. */
function markReachable(matrix: Float64Array, n: number, reachable: Uint8Array): void {
  for (let row = 0; row < matrix.length; row += n) {
    for (let i = 0; i < n; i++) {
      if (matrix[row + i]! < UNREACHABLE_M) reachable[i] = 1;
      else matrix[row + i] = UNREACHABLE_M;
    }
  }
}

function compactColumns(matrix: Float64Array, rows: number, n: number, keep: number[]): Float64Array<ArrayBuffer> {
  const out = new Float64Array(rows * keep.length);
  for (let r = 0; r < rows; r++) keep.forEach((i, j) => (out[r * keep.length + j] = matrix[r * n + i]!));
  return out;
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

/** The time model on its own: a drone waiting on the ground at `pathM` from the scene. */
export function timeToSceneS(pathM: number, profile: PrepositionInput['profile'], altitudeM: number): number {
  return profile.groundPrepS + altitudeM / profile.climbMps + pathM / profile.cruiseMps;
}
