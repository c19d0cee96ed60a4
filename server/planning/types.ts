/** Shapes shared by the planners (CONTRACT.md "Planning and airspace"); pure data, no I/O. */
import type { LineString } from 'geojson';
import type { MissionItem } from '../contracts/mission.ts';

/** A position as JSON objects carry it (GeoJSON positions are `[lon, lat]`). */
export interface LatLon {
  lat: number;
  lon: number;
}

export interface Waypoint extends LatLon {
  /** Relative to take-off. */
  altitudeM: number;
  /** Hover here this long (NAV_WAYPOINT param1). */
  holdS?: number;
}

/** One battery's worth of a plan that needs more than one. */
export interface Sortie {
  route: LineString;
  missionItems: MissionItem[];
  lengthM: number;
  durationS: number;
  batteryPct: number;
}

export interface Plan {
  kind: PlanKind;
  route: LineString | null;
  missionItems: MissionItem[];
  lengthM: number;
  durationS: number;
  batteryPct: number;
  warnings: string[];
  /** Present when the plan needs more than one battery and was split. */
  sorties?: Sortie[];
  /** The route's waypoints (altitudes, holds), in flight order. */
  waypoints?: Waypoint[];
}

export type PlanKind = 'coverage' | 'perimeter' | 'corridor' | 'tour' | 'overwatch';

export type PlanningErrorCode = 'AIRSPACE_VIOLATION' | 'PLAN_INFEASIBLE' | 'BAD_PLAN_INPUT';

/**
 * The planners' one error type. `code` matches the API catalogue where it exists
 * (AIRSPACE_VIOLATION → 400); `details` is what the API puts in `error.details`.
 */
export class PlanningError extends Error {
  constructor(
    readonly code: PlanningErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PlanningError';
  }
}
