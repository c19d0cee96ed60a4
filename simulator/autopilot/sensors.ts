/** What the autopilot sees each tick: sensor readings, never the ground truth itself. */
import type { GpsReading } from '../physics/gps.ts';

export interface BatteryReading {
  voltageV: number;
  currentA: number;
  usedMah: number;
  remainingPct: number;
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
}

export const Severity = { EMERGENCY: 0, ALERT: 1, CRITICAL: 2, ERROR: 3, WARNING: 4, NOTICE: 5, INFO: 6, DEBUG: 7 } as const;
