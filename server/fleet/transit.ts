/**
 * The way a dispatched drone flies to a scene: straight when the straight line is clear, otherwise
 * round the no-fly zones (planning's routeAround). The length is what the flight-time estimate uses.
 */
import { routeAround, validateRoute, type Airspace, type LatLon, type Violation } from '../planning/index.ts';
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
