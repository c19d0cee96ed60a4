/**
 * The way a dispatched drone flies to a scene: straight when the straight line is clear, otherwise
 * round the no-fly zones (planning's routeAround). The length is what the flight-time estimate uses.
 * `wayTo` is the same between two heights: the way back to a patrol (patrol-return.ts) and the way
 * home (home-return.ts).
 */
import { DEFAULT_CEILING_M, DEFAULT_FLOOR_M, routeAround, validateRoute, type Airspace, type LatLon, type RoutePoint, type Violation } from '../planning/index.ts';
import { distanceM } from './distance.ts';

export type Transit = { ok: true; path: LatLon[]; lengthM: number } | { ok: false; reason: string };

export function transit(from: LatLon, to: LatLon, airspace: Airspace, altitudeM: number): Transit {
  const straight = validateRoute([{ ...from, altitudeM }, { ...to, altitudeM }], airspace);
  if (straight.length === 0) return { ok: true, path: [to], lengthM: distanceM(from, to) };
  const other = straight.find((v) => v.kind !== 'enters-no-fly');
  if (other) return { ok: false, reason: violationText(other) };
  const r = routeAround(from, to, airspace, { altitudeM });
  if (!r.ok) return { ok: false, reason: r.message };
  return { ok: true, path: r.path.slice(1), lengthM: r.lengthM };
}

export type Way =
  | { kind: 'straight' }
  | { kind: 'round'; path: LatLon[]; altitudeM: number }
  | { kind: 'none'; reason: string };

/**
 * From one point to another, each at its own height (pure): straight when the leg is clear (a zone
 * counts when it applies anywhere between the two heights); round the no-fly zones when only they
 * are in the way, at the higher of the two heights kept within the airspace's band, the whole way as
 * flown validated (the climb or descent from here, every corner, the last height change at the end);
 * none when there is no such way (no path round, the way leaves the operating area, a height out of
 * the band, the end inside a zone), with the reason.
 */
export function wayTo(from: RoutePoint, to: RoutePoint, airspace: Airspace): Way {
  if (validateRoute([from, to], airspace).length === 0) return { kind: 'straight' };
  const floorM = airspace.floorM ?? DEFAULT_FLOOR_M;
  const ceilingM = airspace.ceilingM ?? DEFAULT_CEILING_M;
  const altitudeM = Math.min(ceilingM, Math.max(floorM, from.altitudeM, to.altitudeM));
  const way = transit(from, to, airspace, altitudeM);
  if (!way.ok) return { kind: 'none', reason: way.reason };
  const flown = validateRoute([from, ...way.path.map((p) => ({ lat: p.lat, lon: p.lon, altitudeM })), to], airspace);
  if (flown.length) return { kind: 'none', reason: violationText(flown[0]!) };
  return { kind: 'round', path: way.path, altitudeM };
}

/** The dispatcher's path length: the transit's, or null when there is none. */
export function transitLengthM(airspace: Airspace, altitudeM: number): (from: LatLon, to: LatLon) => number | null {
  return (from, to) => {
    const t = transit(from, to, airspace, altitudeM);
    return t.ok ? t.lengthM : null;
  };
}

/** A violation in a sentence: `enters-no-fly nf_1 by 12.3 m`. */
export function violationText(v: Violation): string {
  return `${v.kind} ${v.zoneId} by ${v.byM} m`;
}
