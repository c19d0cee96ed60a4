/**
 * The way a dispatched drone flies to a scene: straight when the straight line is clear, otherwise
 * round the no-fly zones (planning's routeAround). The length is what the flight-time estimate uses.
 */
import { routeAround, validateRoute, type Airspace, type LatLon } from '../planning/index.ts';
import { distanceM } from './distance.ts';

export type Transit = { ok: true; path: LatLon[]; lengthM: number } | { ok: false; reason: string };

export function transit(from: LatLon, to: LatLon, airspace: Airspace, altitudeM: number): Transit {
  const straight = validateRoute([{ ...from, altitudeM }, { ...to, altitudeM }], airspace);
  if (!straight.some((v) => v.kind === 'enters-no-fly')) return { ok: true, path: [to], lengthM: distanceM(from, to) };
  const r = routeAround(from, to, airspace, { altitudeM });
  if (!r.ok) return { ok: false, reason: r.message };
  return { ok: true, path: r.path.slice(1), lengthM: r.lengthM };
}
