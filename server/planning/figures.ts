/**
 * Flight figures: length, duration at the planned speed (plus turns, hovers, climb and descent),
 * and battery needed against an airframe's endurance, keeping a reserve.
 */
import type { XY } from './local-frame.ts';
import { polylineLengthM, turnDeg } from './vec.ts';

export interface Airframe {
  /** Cruise (and default plan) speed, m/s (default 10). */
  cruiseMps?: number;
  /** Flight time on one battery at cruise, s (default 25 min). */
  enduranceS?: number;
  /** Battery swap (or charge) time at the base, s (default 120). */
  swapS?: number;
  climbMps?: number;
  descentMps?: number;
  /** Horizontal acceleration, m/s² (default 2.5, ArduCopter WPNAV_ACCEL). */
  accelMps2?: number;
}

export const DEFAULT_AIRFRAME: Required<Airframe> = {
  cruiseMps: 10, enduranceS: 25 * 60, swapS: 120, climbMps: 2.5, descentMps: 1.5, accelMps2: 2.5,
};

export const DEFAULT_RESERVE_PCT = 25;

export function airframeOf(a: Airframe | undefined): Required<Airframe> {
  return { ...DEFAULT_AIRFRAME, ...(a ?? {}) };
}

export interface Figures {
  lengthM: number;
  durationS: number;
  batteryPct: number;
}

export interface FigureOptions {
  speedMps: number;
  airframe: Required<Airframe>;
  /** Total hover time along the path, s. */
  hoverS?: number;
  /** Climb to and descend from this altitude (take-off and landing), m; 0 for none. */
  altitudeM?: number;
}

/**
 * Time lost at a turn of `deg` degrees: braking to a stop and accelerating again costs v/a for a
 * full reversal; a gentler turn costs proportionally less.
 */
export function turnPenaltyS(deg: number, speedMps: number, accelMps2: number): number {
  return (deg / 180) * (speedMps / accelMps2);
}

export function figuresOf(path: readonly XY[], o: FigureOptions): Figures {
  const lengthM = polylineLengthM(path);
  let turnsS = 0;
  for (let i = 1; i + 1 < path.length; i++) turnsS += turnPenaltyS(turnDeg(path[i - 1]!, path[i]!, path[i + 1]!), o.speedMps, o.airframe.accelMps2);
  const altitudeM = o.altitudeM ?? 0;
  const verticalS = altitudeM / o.airframe.climbMps + altitudeM / o.airframe.descentMps;
  const durationS = lengthM / o.speedMps + turnsS + (o.hoverS ?? 0) + verticalS;
  return { lengthM: round1(lengthM), durationS: round1(durationS), batteryPct: round1((100 * durationS) / o.airframe.enduranceS) };
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
