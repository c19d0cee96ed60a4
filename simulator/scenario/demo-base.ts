/** The demo base in Wuhan's Optics Valley, and where drones park around it. */
import type { LatLon, NorthEast } from '../geo.ts';

export const DEMO_BASE: LatLon = { lat: 30.4987, lon: 114.4123 };
/** Ground height of the base above mean sea level. */
export const DEMO_GROUND_AMSL_M = 23;

export interface ParkingSpot extends NorthEast {
  yawDeg: number;
}

/** A square grid centred on the base, `spacingM` apart, every drone facing north. */
export function parkingSpots(count: number, spacingM = 5): ParkingSpot[] {
  const columns = Math.max(1, Math.ceil(Math.sqrt(count)));
  const rows = Math.ceil(count / columns);
  const spots: ParkingSpot[] = [];
  for (let i = 0; i < count; i++) {
    const row = Math.floor(i / columns);
    const col = i % columns;
    spots.push({ northM: ((rows - 1) / 2 - row) * spacingM, eastM: (col - (columns - 1) / 2) * spacingM, yawDeg: 0 });
  }
  return spots;
}
