/**
 * plan(request): dispatches on `kind` to a planner and turns its path into the contract's Plan:
 * transits from and to the base (routed round no-fly zones), figures (length, duration, battery
 * with a reserve), sorties when one battery is not enough (or a refusal), mission items, and an
 * airspace check of the whole route (violations → AirspaceViolationError, AIRSPACE_VIOLATION).
 */
import type { LineString } from 'geojson';
import type { MissionItem } from '../contracts/mission.ts';
import type { Airspace } from './airspace.ts';
import { planCorridor } from './corridor.ts';
import { planCoverage } from './coverage.ts';
import { airframeOf, DEFAULT_RESERVE_PCT, figuresOf, round1, type Airframe } from './figures.ts';
import { frameAround, type LocalFrame, type XY } from './local-frame.ts';
import { planOverwatch, type ScheduleEntry, type Station } from './overwatch.ts';
import { planPerimeter } from './perimeter.ts';
import { routeAround } from './route-around.ts';
import type { CorridorRequest, CoverageRequest, OverwatchRequest, PerimeterRequest, PlanRequest, TourRequest } from './schemas.ts';
import { sortieFigures, splitIntoSorties, type PathPoint } from './sorties.ts';
import { toMissionItems, type MissionWaypoint } from './to-mission.ts';
import { planTour } from './tour.ts';
import { PlanningError, type LatLon, type Plan, type Sortie } from './types.ts';
import { validateRoute, type Violation } from './validate-route.ts';
import { dedupe } from './vec.ts';
import { splitArea } from './split-area.ts';

export interface PlanContext {
  /** Validate against (and route transits round) this airspace. */
  airspace?: Airspace;
}

/**
 * A planned route breaks the airspace. `details`: the first violation's leg, zoneId, kind, byM and
 * point, every violation, and the route the leg indexes refer to (so a console can draw it).
 */
export class AirspaceViolationError extends PlanningError {
  constructor(readonly violations: Violation[], readonly route?: LineString) {
    const v = violations[0]!;
    super('AIRSPACE_VIOLATION', `leg ${v.leg} ${v.kind} ${v.zoneId} by ${v.byM} m${violations.length > 1 ? ` (and ${violations.length - 1} more)` : ''}`, {
      leg: v.leg, zoneId: v.zoneId, kind: v.kind, byM: v.byM, point: v.point, violations, ...(route ? { route } : {}),
    });
    this.name = 'AirspaceViolationError';
  }
}

export interface PatternPlan extends Plan {
  kind: 'coverage' | 'perimeter' | 'corridor' | 'tour';
  /** coverage */
  spacingM?: number;
  angleDeg?: number;
  sweepCount?: number;
  /** perimeter / corridor */
  loops?: number;
  /** tour: visiting order, indexes into `points` */
  order?: number[];
}

export interface OverwatchPlan extends Plan {
  kind: 'overwatch';
  route: null;
  stations: Station[];
  fleetSize: number;
  fleetBound: number;
  recoveryRatio: number;
  schedule: ScheduleEntry[];
  /** One sortie's mission per station: take-off, transit, loiter on station, RTL. */
  stationMissions: { stationId: string; missionItems: MissionItem[] }[];
}

export function plan(request: OverwatchRequest, context?: PlanContext): OverwatchPlan;
export function plan(request: CoverageRequest | PerimeterRequest | CorridorRequest | TourRequest, context?: PlanContext): PatternPlan;
export function plan(request: PlanRequest, context?: PlanContext): PatternPlan | OverwatchPlan;
export function plan(request: PlanRequest, context: PlanContext = {}): PatternPlan | OverwatchPlan {
  switch (request.kind) {
    case 'coverage': return planCoverageRequest(request, context);
    case 'perimeter': return planPerimeterRequest(request, context);
    case 'corridor': return planCorridorRequest(request, context);
    case 'tour': return planTourRequest(request, context);
    case 'overwatch': return planOverwatchRequest(request, context);
    default: throw new PlanningError('BAD_PLAN_INPUT', `unknown plan kind ${(request as { kind: string }).kind}`);
  }
}

// ---------------------------------------------------------------------------------------------

/** What each planner hands to finish(): a path in its frame, and how much of it repeats. */
interface Pattern {
  frame: LocalFrame;
  points: PathPoint[];
  /** points[startIndex..end] are flown `loops` times in all. */
  loop?: { startIndex: number; loops: number };
  warnings: string[];
}

type Common = { altitudeM: number; speedMps?: number; base?: LatLon; airframe?: Airframe; reservePct?: number; onTooLong?: 'split' | 'refuse' };

function planCoverageRequest(r: CoverageRequest, ctx: PlanContext): PatternPlan {
  if (r.drones && r.drones > 1) return planCoverageShared(r, r.drones, ctx);
  const c = planCoverage({
    area: r.area, altitudeM: r.altitudeM, ...opt('spacingM', r.spacingM), ...opt('camera', r.camera), ...opt('angleDeg', r.angleDeg),
    ...opt('speedMps', r.speedMps), ...opt('insetM', r.insetM), ...opt('boundaryPass', r.boundaryPass), ...opt('start', r.base), ...opt('airframe', r.airframe),
    noFly: (ctx.airspace?.noFly ?? []).filter((z) => (z.floorM ?? -Infinity) <= r.altitudeM && r.altitudeM <= (z.ceilingM ?? Infinity)),
  });
  const out = finish('coverage', r, ctx, { frame: c.frame, points: c.pathXY.map((xy) => ({ xy })), warnings: c.warnings });
  return { ...out, spacingM: round1(c.spacingM), angleDeg: c.angleDeg, sweepCount: c.sweepCount };
}

/**
 * One area shared by N drones: split into N parts of equal area, each planned on its own; the parts
 * are the plan's sorties (one per drone), the figures are the whole job's (length summed, time and
 * battery of the longest part).
 */
function planCoverageShared(r: CoverageRequest, n: number, ctx: PlanContext): PatternPlan {
  const parts = splitArea(r.area, n).map((part) => planCoverageRequest({ ...r, area: part.geometry, drones: 1 }, ctx));
  const sorties: Sortie[] = parts.map((p) => {
    if (p.sorties && p.sorties.length > 1) throw new PlanningError('PLAN_INFEASIBLE', `one part of the area needs ${p.sorties.length} batteries: plan with more drones`, { drones: n, sortiesNeeded: p.sorties.length });
    return { route: p.route!, missionItems: p.missionItems, lengthM: p.lengthM, durationS: p.durationS, batteryPct: p.batteryPct };
  });
  return {
    kind: 'coverage', route: null, missionItems: [], sorties,
    lengthM: round1(parts.reduce((s, p) => s + p.lengthM, 0)),
    durationS: Math.max(...parts.map((p) => p.durationS)),
    batteryPct: Math.max(...parts.map((p) => p.batteryPct)),
    warnings: [`area split into ${n} parts of equal area, one per drone`, ...parts.flatMap((p) => p.warnings)],
    spacingM: parts[0]!.spacingM!, sweepCount: parts.reduce((s, p) => s + (p.sweepCount ?? 0), 0),
  };
}

function planPerimeterRequest(r: PerimeterRequest, ctx: PlanContext): PatternPlan {
  const p = planPerimeter({ area: r.area, offsetM: r.offsetM, ...opt('loops', r.loops), ...opt('start', r.base) });
  const out = finish('perimeter', r, ctx, { frame: p.frame, points: p.loopXY.map((xy) => ({ xy })), loop: { startIndex: 1, loops: p.loops }, warnings: p.warnings });
  return { ...out, loops: p.loops };
}

function planCorridorRequest(r: CorridorRequest, ctx: PlanContext): PatternPlan {
  const c = planCorridor({ path: r.path, ...opt('offsetM', r.offsetM), ...opt('loop', r.loop), ...opt('loops', r.loops) });
  const out = finish('corridor', r, ctx, { frame: c.frame, points: c.roundXY.map((xy) => ({ xy })), loop: { startIndex: 1, loops: c.loops }, warnings: c.warnings });
  return { ...out, loops: c.loops };
}

function planTourRequest(r: TourRequest, ctx: PlanContext): PatternPlan {
  const t = planTour({ points: r.points, ...opt('start', r.base) });
  const frame = frameFor(r.points);
  const stops = t.order.map((i) => frame.fromLatLon(r.points[i]!));
  // Legs that would cross a no-fly zone go round it.
  const points: PathPoint[] = [];
  stops.forEach((xy, k) => {
    if (k > 0) for (const via of detour(frame, stops[k - 1]!, xy, r.altitudeM, ctx.airspace)) points.push({ xy: via });
    points.push({ xy, ...(r.hoverS ? { holdS: r.hoverS } : {}) });
  });
  const out = finish('tour', r, ctx, { frame, points, warnings: [] });
  return { ...out, order: t.order };
}

function planOverwatchRequest(r: OverwatchRequest, ctx: PlanContext): OverwatchPlan {
  const o = planOverwatch({
    venue: r.venue, pois: r.pois, window: r.window, bases: r.bases, airframe: r.airframe, altitudeM: r.altitudeM,
    ...opt('camera', r.camera), ...opt('handoverMarginS', r.handoverMarginS), ...opt('reservePct', r.reservePct), ...opt('airspace', ctx.airspace),
  });
  const airframe = airframeOf(r.airframe);
  const stationMissions = o.stations.map((s) => {
    const base = r.bases[s.baseIndex]!;
    const transit = ctx.airspace ? routed(base, s, r.altitudeM, ctx.airspace) : [base, { lat: s.lat, lon: s.lon }];
    const route = transit.map((p) => ({ ...p, altitudeM: r.altitudeM }));
    if (ctx.airspace) check(route, ctx.airspace);
    const waypoints: MissionWaypoint[] = [
      ...route.slice(1, -1),
      { lat: s.lat, lon: s.lon, altitudeM: s.altitudeM, loiterS: s.activeS },
    ];
    return { stationId: s.id, missionItems: toMissionItems({ waypoints, takeoffAltitudeM: r.altitudeM, speedMps: airframe.cruiseMps }) };
  });
  return {
    kind: 'overwatch', route: null, missionItems: [], lengthM: o.transitM,
    durationS: (Date.parse(r.window.end) - Date.parse(r.window.start)) / 1000, batteryPct: o.sortieBatteryPct, warnings: o.warnings,
    stations: o.stations, fleetSize: o.fleetSize, fleetBound: o.fleetBound, recoveryRatio: o.recoveryRatio, schedule: o.schedule, stationMissions,
  };
}

// ---------------------------------------------------------------------------------------------

function finish(kind: PatternPlan['kind'], r: Common, ctx: PlanContext, p: Pattern): PatternPlan {
  const airframe = airframeOf(r.airframe);
  const speedMps = r.speedMps ?? airframe.cruiseMps;
  const reservePct = r.reservePct ?? DEFAULT_RESERVE_PCT;
  const usablePct = 100 - reservePct;
  const warnings = [...p.warnings];
  const { frame } = p;
  const base = r.base ? frame.fromLatLon(r.base) : null;
  const first = p.points[0]!.xy;
  const last = p.points[p.points.length - 1]!.xy;
  const out = base ? detour(frame, base, first, r.altitudeM, ctx.airspace, true) : [];
  const back = base ? detour(frame, last, base, r.altitudeM, ctx.airspace, true) : [];
  const pre: PathPoint[] = base ? [{ xy: base }, ...out.map((xy) => ({ xy }))] : [];
  const post: PathPoint[] = base ? [...back.map((xy) => ({ xy })), { xy: base }] : [];

  // The route as flown once (loops drawn once); figures count every loop.
  const once = [...pre, ...p.points, ...post];
  const loops = p.loop?.loops ?? 1;
  const repeated = p.loop ? p.points.slice(p.loop.startIndex) : [];
  const flown = [...pre, ...p.points, ...Array.from({ length: loops - 1 }, () => repeated).flat(), ...post];
  const hoverS = flown.reduce((s, q) => s + (q.holdS ?? 0), 0);
  const figures = figuresOf(flown.map((q) => q.xy), { speedMps, airframe, hoverS, altitudeM: r.altitudeM });

  const line = dedupe(once.map((q) => q.xy));
  // a LineString needs two positions: a one-stop tour without a base is drawn as a point twice
  if (line.length === 1) line.push(line[0]!);
  const route: LineString = { type: 'LineString', coordinates: line.map((xy) => frame.toPosition(xy)) };
  if (ctx.airspace) check(once.map((q) => ({ ...frame.toLatLon(q.xy), altitudeM: r.altitudeM })), ctx.airspace, route);

  const waypointsOf = (pts: PathPoint[]): MissionWaypoint[] => pts.map((q) => ({ ...frame.toLatLon(q.xy), altitudeM: r.altitudeM, ...(q.holdS ? { holdS: q.holdS } : {}) }));
  // Take-off and RTL are at the base: the base itself is not a waypoint.
  const missionPoints = [...pre.slice(1), ...p.points, ...post.slice(0, -1)];
  const missionItems = toMissionItems({
    waypoints: waypointsOf(missionPoints), takeoffAltitudeM: r.altitudeM, speedMps,
    ...(p.loop && loops > 1 ? { loop: { startIndex: pre.length - (base ? 1 : 0) + p.loop.startIndex, endIndex: pre.length - (base ? 1 : 0) + p.points.length - 1, repeat: loops - 1 } } : {}),
  });

  let sorties: Sortie[] | undefined;
  if (figures.batteryPct > usablePct) {
    const need = `needs ${figures.batteryPct}% of a battery, more than the ${usablePct}% usable with a ${reservePct}% reserve`;
    if (r.onTooLong === 'refuse') {
      throw new PlanningError('PLAN_INFEASIBLE', `refused: the plan ${need}`, { batteryPct: figures.batteryPct, usablePct, reservePct, durationS: figures.durationS });
    }
    const pattern = [...p.points, ...Array.from({ length: loops - 1 }, () => repeated).flat()];
    // Split on straight transits, then route them round no-fly zones; if that makes a sortie
    // overdraw, split again aiming lower by the overshoot.
    let target = usablePct;
    for (let attempt = 0; attempt < 5; attempt++) {
      const pieces = splitIntoSorties(pattern, { base, usablePct: target, speedMps, airframe, altitudeM: r.altitudeM });
      sorties = pieces.map((piece) => {
        const to = base ? detour(frame, base, piece[0]!.xy, r.altitudeM, ctx.airspace, true) : [];
        const from = base ? detour(frame, piece[piece.length - 1]!.xy, base, r.altitudeM, ctx.airspace, true) : [];
        const pts: PathPoint[] = [...to.map((xy) => ({ xy })), ...piece, ...from.map((xy) => ({ xy }))];
        const f = sortieFigures(pts, { base, usablePct, speedMps, airframe, altitudeM: r.altitudeM });
        const line = base ? [base, ...pts.map((q) => q.xy), base] : pts.map((q) => q.xy);
        return {
          route: { type: 'LineString', coordinates: dedupe(line).map((xy) => frame.toPosition(xy)) },
          missionItems: toMissionItems({ waypoints: waypointsOf(pts), takeoffAltitudeM: r.altitudeM, speedMps }),
          lengthM: f.lengthM, durationS: f.durationS, batteryPct: f.batteryPct,
        } satisfies Sortie;
      });
      const worst = Math.max(...sorties.map((x) => x.batteryPct));
      if (worst <= usablePct) break;
      target -= worst - usablePct + 0.5;
    }
    sorties ??= [];
    warnings.push(`split into ${sorties.length} sorties: the plan ${need}`);
    if (!base) warnings.push('no base given: each sortie is counted from where the last one stopped, without transit; give `base` to count it');
    const over = sorties.filter((s) => s.batteryPct > usablePct).length;
    if (over) warnings.push(`${over} sortie(s) need more than ${usablePct}% once their transits go round no-fly zones`);
  }
  if (missionItems.length > 700) warnings.push(`${missionItems.length} mission items: more than the 700 a mission upload takes; fly the sorties or widen the spacing`);

  return {
    kind, route, missionItems, lengthM: figures.lengthM, durationS: figures.durationS, batteryPct: figures.batteryPct, warnings,
    waypoints: waypointsOf(once), ...(sorties ? { sorties } : {}),
  };
}

/**
 * The bends of a leg from a to b: none when it is clear of the airspace's no-fly zones and stays
 * in its operating area, else the corners of the shortest way round. `required`: a failure to find one is an error.
 */
function detour(frame: LocalFrame, a: XY, b: XY, altitudeM: number, airspace: Airspace | undefined, required = false): XY[] {
  if (!airspace || !(airspace.noFly?.length || airspace.operatingArea)) return [];
  const la = frame.toLatLon(a);
  const lb = frame.toLatLon(b);
  // altitude limits are not a routing matter: only zones and the area's edge are gone round
  const clear = validateRoute([{ ...la, altitudeM }, { ...lb, altitudeM }], { ...airspace, ceilingM: Infinity, floorM: -Infinity }).length === 0;
  if (clear) return [];
  const r = routeAround(la, lb, airspace, { altitudeM });
  if (!r.ok) {
    // An end inside a zone is the route's own fault: fly straight and let the airspace check
    // report which leg enters which zone by how much.
    if (!required || r.reason === 'start-in-no-fly' || r.reason === 'end-in-no-fly') return [];
    throw new PlanningError('PLAN_INFEASIBLE', `no transit round the no-fly zones: ${r.message}`, { reason: r.reason, ...(r.zoneId ? { zoneId: r.zoneId } : {}) });
  }
  return r.path.slice(1, -1).map((p) => frame.fromLatLon(p));
}

function routed(a: LatLon, b: LatLon, altitudeM: number, airspace: Airspace): LatLon[] {
  const r = routeAround(a, b, airspace, { altitudeM });
  if (!r.ok) throw new PlanningError('PLAN_INFEASIBLE', `no transit round the no-fly zones: ${r.message}`, { reason: r.reason });
  return r.path;
}

function check(route: { lat: number; lon: number; altitudeM: number }[], airspace: Airspace, line?: LineString): void {
  const violations = validateRoute(route, airspace);
  if (violations.length) throw new AirspaceViolationError(violations, line ?? { type: 'LineString', coordinates: route.map((p) => [p.lon, p.lat]) });
}

function frameFor(points: LatLon[]): LocalFrame {
  return frameAround(points.map((p) => [p.lon, p.lat]));
}

/** `{ key: value }` when value is defined, else `{}` (for optional options). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
