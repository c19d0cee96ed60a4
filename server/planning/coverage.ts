/**
 * Area coverage: boustrophedon (lawn-mower) sweeps over a polygon with holes.
 *
 * The area is shrunk by `insetM` and the no-fly zones (grown by their margin) are cut out of it
 * (Turf buffer / difference); that working shape W is projected to local metres and rotated so the
 * sweeps run along +x. Sweep lines `spacingM` apart, centred on W's extent, are cut by W's rings
 * (one Turf lineIntersect call) into segments. A greedy order then flies each segment end to end,
 * always taking the nearest unflown one next, plus (by default) one pass round each of W's rings;
 * the connections between them stay inside W (straight when free, else the shortest path round
 * the holes, free-space.ts). So every turn is inside the area and no hole or no-fly zone is crossed.
 *
 * Every point of the area is then within spacingM/2 + insetM of the path: a point's nearest sweep
 * line is at most spacingM/2 away, and if the straight way there leaves W it crosses W's boundary,
 * which the ring pass flies (without the ring pass, slanted edges leave uncovered slivers).
 *
 * The sweep angle, unless given, minimises flight time: candidates are every edge direction of
 * the area and every 15°; the narrowest few (fewest lines, so fewest turns) are swept and
 * estimated with their real segment count, and the best is built in full.
 */
import { feature, lineIntersect, multiLineString, multiPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { obstaclesUnion, offsetPolygon, polygonsOf, subtract, type NoFlyZone } from './airspace.ts';
import { airframeOf, turnPenaltyS, type Airframe } from './figures.ts';
import { buildFreeSpace, segmentIsFree, shortestPath, type FreeSpace } from './free-space.ts';
import { frameAround, type LocalFrame, type XY } from './local-frame.ts';
import { DEFAULT_MARGIN_M } from './route-around.ts';
import { PlanningError, type LatLon } from './types.ts';
import { dedupe, dist, openRing, rotate } from './vec.ts';

export interface CameraSpec {
  /** Horizontal field of view across the track, degrees. */
  hfovDeg: number;
  /** Side overlap between neighbouring sweeps, 0…<1. */
  sideOverlap: number;
}

export interface CoverageOptions {
  area: Polygon | MultiPolygon;
  altitudeM: number;
  spacingM?: number;
  camera?: CameraSpec;
  /** Sweep direction, degrees clockwise from north; chosen to minimise flight time when absent. */
  angleDeg?: number;
  speedMps?: number;
  noFly?: NoFlyZone[];
  /** Clearance kept from no-fly zones (default 10 m). */
  noFlyMarginM?: number;
  /** How far inside the area's edges (and outside its holes) the path stays (default 0: on them). */
  insetM?: number;
  /** Fly once round every edge of the working area (default true; see the header). */
  boundaryPass?: boolean;
  /** Where the drone comes from: the path starts at the nearest sweep end. */
  start?: LatLon;
  airframe?: Airframe;
}

export interface CoverageResult {
  /** The flight path, in order. */
  path: LatLon[];
  frame: LocalFrame;
  pathXY: XY[];
  spacingM: number;
  angleDeg: number;
  sweepCount: number;
  /** Angles considered (degrees) when the angle was chosen. */
  anglesTried: number[];
  warnings: string[];
}

export const DEFAULT_CAMERA: CameraSpec = { hfovDeg: 84, sideOverlap: 0.3 };
const DEFAULT_INSET_M = 0;

/** Ground width seen by a nadir camera: 2·alt·tan(hfov/2). */
export function footprintWidthM(altitudeM: number, hfovDeg: number): number {
  return 2 * altitudeM * Math.tan((hfovDeg * Math.PI) / 360);
}

export function spacingFromCamera(altitudeM: number, camera: CameraSpec): number {
  return footprintWidthM(altitudeM, camera.hfovDeg) * (1 - camera.sideOverlap);
}

interface Segment {
  a: XY;
  b: XY;
}

export function planCoverage(o: CoverageOptions): CoverageResult {
  const warnings: string[] = [];
  let spacingM = o.spacingM;
  if (spacingM === undefined) {
    const camera = o.camera ?? DEFAULT_CAMERA;
    if (!o.camera) warnings.push(`no spacingM or camera given: spacing from a default camera (hfov ${camera.hfovDeg}°, side overlap ${camera.sideOverlap})`);
    if (!(camera.sideOverlap >= 0 && camera.sideOverlap < 1)) throw new PlanningError('BAD_PLAN_INPUT', 'camera.sideOverlap must be in [0, 1)');
    spacingM = spacingFromCamera(o.altitudeM, camera);
  }
  if (!(spacingM > 0)) throw new PlanningError('BAD_PLAN_INPUT', 'spacingM must be positive', { spacingM });
  const insetM = o.insetM ?? DEFAULT_INSET_M;
  const speedMps = o.speedMps ?? airframeOf(o.airframe).cruiseMps;
  const airframe = airframeOf(o.airframe);

  const shrunk = offsetPolygon(feature(o.area), -insetM);
  const working = shrunk ? subtract(shrunk, obstaclesUnion(o.noFly ?? [], o.noFlyMarginM ?? DEFAULT_MARGIN_M)) : null;
  const polysLL = polygonsOf(working);
  if (polysLL.length === 0) throw new PlanningError('PLAN_INFEASIBLE', 'nothing of the area is left to cover once its edges and the no-fly zones are kept clear', { insetM });
  const frame = frameAround(polysLL[0]![0]!);
  const polys = polysLL.map((rings) => frame.ringsToXY(rings));
  const fs = buildFreeSpace(polys);

  const anglesTried: number[] = [];
  let angleDeg: number;
  if (o.angleDeg !== undefined) {
    angleDeg = o.angleDeg;
  } else {
    const candidates = candidateAngles(o.area, frame);
    // Fewest lines first: the width across the sweep direction.
    const byWidth = candidates.map((a) => ({ a, w: widthAcross(polys, a) })).sort((x, y) => x.w - y.w).slice(0, 4);
    let best = { a: byWidth[0]!.a, s: Infinity };
    for (const { a } of byWidth) {
      anglesTried.push(round2(a));
      const segs = sweepSegments(polys, a, spacingM);
      const s = estimateS(segs, spacingM, speedMps, airframe.accelMps2);
      if (s < best.s) best = { a, s };
    }
    angleDeg = best.a;
  }

  const segments = sweepSegments(polys, angleDeg, spacingM);
  if (segments.length === 0) throw new PlanningError('PLAN_INFEASIBLE', 'the area is too small for one sweep');
  const rings = o.boundaryPass === false ? [] : polys.flatMap((p) => p.map((r) => openRing(r)));
  const startXY = o.start ? frame.fromLatLon(o.start) : null;
  const pathXY = orderAndConnect(segments, rings, fs, startXY, warnings);
  return {
    path: pathXY.map((p) => frame.toLatLon(p)), frame, pathXY, spacingM, angleDeg: round2(((angleDeg % 180) + 180) % 180),
    sweepCount: segments.length, anglesTried, warnings,
  };
}

/** Edge directions of the area's outer rings, and every 15°, deduplicated to 1°. */
function candidateAngles(area: Polygon | MultiPolygon, frame: LocalFrame): number[] {
  const out: number[] = [];
  const add = (deg: number) => {
    const d = ((deg % 180) + 180) % 180;
    if (!out.some((x) => Math.abs(x - d) < 1 || Math.abs(x - d) > 179)) out.push(d);
  };
  const outers = area.type === 'Polygon' ? [area.coordinates[0]!] : area.coordinates.map((p) => p[0]!);
  for (const ring of outers) {
    const xy = frame.ringToXY(ring);
    for (let i = 1; i < xy.length; i++) {
      const dx = xy[i]![0] - xy[i - 1]![0];
      const dy = xy[i]![1] - xy[i - 1]![1];
      if (Math.hypot(dx, dy) > 1) add((Math.atan2(dx, dy) * 180) / Math.PI);
    }
  }
  for (let d = 0; d < 180; d += 15) add(d);
  return out;
}

/** Rotation that turns the sweep bearing (clockwise from north) into +x. */
function toSweepRad(angleDeg: number): number {
  const b = (angleDeg * Math.PI) / 180;
  return -Math.atan2(Math.cos(b), Math.sin(b));
}

function widthAcross(polys: XY[][][], angleDeg: number): number {
  const r = toSweepRad(angleDeg);
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of polys) for (const v of p[0]!) {
    const y = rotate(v, r)[1];
    lo = Math.min(lo, y);
    hi = Math.max(hi, y);
  }
  return hi - lo;
}

/** Sweep segments of W at this angle, in the local (unrotated) frame, line by line. */
export function sweepSegments(polys: XY[][][], angleDeg: number, spacingM: number): Segment[] {
  const r = toSweepRad(angleDeg);
  const rotated = polys.map((p) => p.map((ring) => ring.map((v) => rotate(v, r))));
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  const ys: number[] = [];
  for (const p of rotated) for (const ring of p) for (const v of ring) {
    minX = Math.min(minX, v[0]); maxX = Math.max(maxX, v[0]);
    minY = Math.min(minY, v[1]); maxY = Math.max(maxY, v[1]);
    ys.push(v[1]);
  }
  ys.sort((a, b) => a - b);
  const extent = maxY - minY;
  const n = Math.max(1, Math.ceil(extent / spacingM - 1e-9));
  const y0 = minY + (extent - (n - 1) * spacingM) / 2;
  const lineYs: number[] = [];
  for (let k = 0; k < n; k++) {
    let y = y0 + k * spacingM;
    // keep clear of vertices, so each line crosses the rings an even number of times
    while (nearAny(ys, y, 1e-6)) y += 1e-5;
    lineYs.push(y);
  }
  const lines = lineYs.map((y) => [[minX - 1, y], [maxX + 1, y]]);
  const hits = lineIntersect(multiLineString(lines), multiPolygon(rotated), { removeDuplicates: false });
  const byLine: number[][] = lineYs.map(() => []);
  for (const h of hits.features) {
    const [x, y] = h.geometry.coordinates as XY;
    const k = Math.round((y - y0) / spacingM);
    const row = byLine[Math.max(0, Math.min(n - 1, k))]!;
    row.push(x);
  }
  const out: Segment[] = [];
  const back = -r;
  byLine.forEach((xs, k) => {
    xs.sort((a, b) => a - b);
    for (let i = 0; i + 1 < xs.length; i += 2) {
      if (xs[i + 1]! - xs[i]! < 1e-3) continue;
      const y = lineYs[k]!;
      out.push({ a: rotate([xs[i]!, y], back), b: rotate([xs[i + 1]!, y], back) });
    }
  });
  return out;
}

function nearAny(sorted: number[], y: number, eps: number): boolean {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < y - eps) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo]! <= y + eps;
}

/** Flight-time estimate of a set of sweeps: along them, one spacing-long hop and two right-angle turns each. */
function estimateS(segs: Segment[], spacingM: number, speedMps: number, accelMps2: number): number {
  let along = 0;
  for (const s of segs) along += dist(s.a, s.b);
  return along / speedMps + segs.length * (spacingM / speedMps + 2 * turnPenaltyS(90, speedMps, accelMps2));
}

/** Greedy nearest-next order over sweeps and ring passes, joined inside the free space. */
function orderAndConnect(segments: Segment[], rings: XY[][], fs: FreeSpace, start: XY | null, warnings: string[]): XY[] {
  const path: XY[] = [];
  const segDone = new Uint8Array(segments.length);
  const ringDone = new Uint8Array(rings.length);
  let left = segments.length + rings.length;
  let here: XY = start ?? segments[0]!.a;
  let first = true;
  let detached = 0;
  while (left > 0) {
    let best = Infinity;
    let pick: { seg: number; reversed: boolean } | { ring: number; at: number } | null = null;
    for (let i = 0; i < segments.length; i++) {
      if (segDone[i]) continue;
      const s = segments[i]!;
      const da = dist(here, s.a);
      const db = dist(here, s.b);
      if (da < best) { best = da; pick = { seg: i, reversed: false }; }
      if (db < best) { best = db; pick = { seg: i, reversed: true }; }
    }
    for (let i = 0; i < rings.length; i++) {
      if (ringDone[i]) continue;
      const ring = rings[i]!;
      for (let j = 0; j < ring.length; j++) {
        const d = dist(here, ring[j]!);
        if (d < best) { best = d; pick = { ring: i, at: j }; }
      }
    }
    if (!pick) break;
    let piece: XY[];
    if ('seg' in pick) {
      segDone[pick.seg] = 1;
      const s = segments[pick.seg]!;
      piece = pick.reversed ? [s.b, s.a] : [s.a, s.b];
    } else {
      ringDone[pick.ring] = 1;
      const ring = rings[pick.ring]!;
      piece = [...ring.slice(pick.at), ...ring.slice(0, pick.at), ring[pick.at]!];
    }
    left--;
    if (first) {
      path.push(...piece);
    } else {
      const from = path[path.length - 1]!;
      const to = piece[0]!;
      if (dist(from, to) > 1e-6 && !segmentIsFree(fs, from, to)) {
        const way = shortestPath(fs, from, to);
        if (way) path.push(...way.slice(1, -1));
        else detached++;
      }
      path.push(...piece);
    }
    first = false;
    here = path[path.length - 1]!;
  }
  if (detached) warnings.push(`${detached} connection(s) between separate parts of the area could not stay inside it`);
  return dedupe(path);
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
