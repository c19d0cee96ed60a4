/** What the autopilot sees each tick: sensor readings, never the ground truth itself. */
import type { GpsReading } from '../physics/gps.ts';

export interface BatteryReading {
  voltageV: number;
  currentA: number;
  usedMah: number;
  remainingPct: number;
}

/**
 * The autopilot's wind estimate, as ArduPilot's AHRS keeps it: the velocity of the air in the local
 * frame (the direction the wind blows TO; the WIND message turns it into the direction it comes FROM).
 */
export interface WindEstimate {
  northMps: number;
  eastMps: number;
  /** Positive down (NED), as ArduPilot's `wind.z`. */
  downMps: number;
}

export interface SensorInputs {
  gps: GpsReading;
  /** Barometric height above home. */
  baroAltitudeM: number;
  yawDeg: number;
  rollRad: number;
  pitchRad: number;
  yawRateDps: number;
  /** The land detector's verdict (throttle low, no vertical motion). */
  onGround: boolean;
  battery: BatteryReading;
  /** Null until the estimator has seen the air (before the first physics step). */
  wind: WindEstimate | null;
}

export const Severity = { EMERGENCY: 0, ALERT: 1, CRITICAL: 2, ERROR: 3, WARNING: 4, NOTICE: 5, INFO: 6, DEBUG: 7 } as const;
