/**
 * Position guidance: the velocity a multicopter should fly now to reach (or circle) a point,
 * slowing down so that it stops there (v = √(2·a·d)). Pure functions.
 */
import type { NorthEast } from '../geo.ts';

export interface Target3d extends NorthEast {
  altitudeM: number;
}

export interface Position3d extends NorthEast {
  altitudeM: number;
}

export interface SpeedLimits {
  horizontalMps: number;
  upMps: number;
  downMps: number;
  accelMps2: number;
}

export interface VelocityDemand {
  velNorthMps: number;
  velEastMps: number;
  velUpMps: number;
}

const POSITION_GAIN = 1.0;
const ALTITUDE_GAIN = 1.0;

export function verticalDemand(currentAltM: number, targetAltM: number, limits: SpeedLimits): number {
  const dz = targetAltM - currentAltM;
  return Math.max(-limits.downMps, Math.min(limits.upMps, ALTITUDE_GAIN * dz));
}

export function flyTo(at: Position3d, target: Target3d, limits: SpeedLimits): VelocityDemand {
  const dn = target.northM - at.northM;
  const de = target.eastM - at.eastM;
  const distM = Math.hypot(dn, de);
  let speed = Math.min(limits.horizontalMps, Math.sqrt(2 * limits.accelMps2 * distM), POSITION_GAIN * distM);
  if (distM < 1e-6) speed = 0;
  return {
    velNorthMps: distM > 0 ? (dn / distM) * speed : 0,
    velEastMps: distM > 0 ? (de / distM) * speed : 0,
    velUpMps: verticalDemand(at.altitudeM, target.altitudeM, limits),
  };
}

/** Circle `center` at `radiusM` (clockwise when `clockwise`), converging onto the circle from anywhere. */
export function orbit(at: Position3d, center: Target3d, radiusM: number, clockwise: boolean, limits: SpeedLimits): VelocityDemand {
  const rn = at.northM - center.northM;
  const re = at.eastM - center.eastM;
  const r = Math.hypot(rn, re) || 1e-6;
  const outN = rn / r, outE = re / r;
  // Clockwise seen from above (north up, east right): tangent = (−east, north) rotated.
  const tanN = clockwise ? -outE : outE;
  const tanE = clockwise ? outN : -outN;
  const speed = Math.min(limits.horizontalMps, Math.sqrt(limits.accelMps2 * Math.max(radiusM, 1)));
  const radial = Math.max(-limits.horizontalMps, Math.min(limits.horizontalMps, POSITION_GAIN * (radiusM - r)));
  return {
    velNorthMps: tanN * speed + outN * radial,
    velEastMps: tanE * speed + outE * radial,
    velUpMps: verticalDemand(at.altitudeM, center.altitudeM, limits),
  };
}
