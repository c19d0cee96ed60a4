/** Ground truth of one vehicle, in the world's local frame (north/east metres, altitude above ground). */
import { freshBattery, type BatteryState } from './battery.ts';
import type { Airframe } from './airframe.ts';

export interface VehicleState {
  timeS: number;
  northM: number;
  eastM: number;
  /** Height above the (flat) ground. */
  altitudeM: number;
  velNorthMps: number;
  velEastMps: number;
  velUpMps: number;
  yawDeg: number;
  yawRateDps: number;
  rollRad: number;
  pitchRad: number;
  onGround: boolean;
  /** Gust component of the wind (the mean wind comes from the environment). */
  gustNorthMps: number;
  gustEastMps: number;
  battery: BatteryState;
}

/** What the autopilot asks of the airframe this step. */
export interface PhysicsCommand {
  motorsOn: boolean;
  velNorthMps: number;
  velEastMps: number;
  velUpMps: number;
  /** Heading to turn to; null keeps the current one. */
  yawDeg: number | null;
}

export const MOTORS_OFF: PhysicsCommand = { motorsOn: false, velNorthMps: 0, velEastMps: 0, velUpMps: 0, yawDeg: null };

export interface Environment {
  windNorthMps: number;
  windEastMps: number;
  gustStdMps: number;
  gustTimeConstantS: number;
  /** Two standard-normal draws for this step (drawn by the world from the drone's seeded PRNG). */
  gustNoiseNorth: number;
  gustNoiseEast: number;
  motorFailed: boolean;
}

/** On the ground, motors off, with the pack at `soc` (0–1, default full). */
export function parkedState(airframe: Airframe, northM: number, eastM: number, yawDeg: number, soc = 1): VehicleState {
  return {
    timeS: 0, northM, eastM, altitudeM: 0, velNorthMps: 0, velEastMps: 0, velUpMps: 0, yawDeg, yawRateDps: 0,
    rollRad: 0, pitchRad: 0, onGround: true, gustNorthMps: 0, gustEastMps: 0, battery: freshBattery(airframe.battery, soc),
  };
}
