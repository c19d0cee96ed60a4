/**
 * Navigation controllers shared by the modes and the mission executor: hold, go to, take off,
 * land, orbit and the RTL sequence (climb → return → loiter → land). Each `update` returns the
 * velocity demand for this tick and whether it is done.
 */
import { bearingDeg, horizontalDistanceM } from '../geo.ts';
import { flyTo, orbit, type Position3d, type SpeedLimits, type Target3d, type VelocityDemand } from './guidance.ts';

export interface NavContext {
  nowMs: number;
  position: Position3d;
  onGround: boolean;
  limits: SpeedLimits;
  /** Descent rate of a landing at this height (LAND_SPEED_HIGH / LAND_SPEED below LAND_ALT_LOW). */
  landSpeedMps: (altitudeM: number) => number;
  home: Position3d;
  rtlAltitudeM: number;
  /** RTL never climbs above this (the altitude fence, less its margin). */
  rtlCeilingM: number;
  rtlLoiterMs: number;
  rtlSpeedMps: number;
}

export interface NavOutput {
  demand: VelocityDemand;
  yawDeg: number | null;
  done: boolean;
}

const STILL: VelocityDemand = { velNorthMps: 0, velEastMps: 0, velUpMps: 0 };

export function yawAlong(demand: VelocityDemand): number | null {
  if (Math.hypot(demand.velNorthMps, demand.velEastMps) < 1) return null;
  return bearingDeg({ northM: 0, eastM: 0 }, { northM: demand.velNorthMps, eastM: demand.velEastMps });
}

/** Fly to a point; done when within `radiusM` horizontally and 1 m vertically. */
export function goTo(ctx: NavContext, target: Target3d, radiusM: number, limits: SpeedLimits = ctx.limits): NavOutput {
  const demand = flyTo(ctx.position, target, limits);
  const done = horizontalDistanceM(ctx.position, target) <= radiusM && Math.abs(ctx.position.altitudeM - target.altitudeM) <= 1;
  return { demand, yawDeg: yawAlong(demand), done };
}

export function hold(ctx: NavContext, target: Target3d): NavOutput {
  return { ...goTo(ctx, target, 0), done: false };
}

export class TakeoffController {
  constructor(private readonly spot: Target3d) {}

  update(ctx: NavContext): NavOutput {
    const target = { ...this.spot, altitudeM: this.spot.altitudeM };
    const out = goTo(ctx, target, Infinity);
    // ArduCopter completes a take-off when it is within a small margin of the target altitude.
    return { ...out, yawDeg: null, done: ctx.position.altitudeM >= this.spot.altitudeM - 0.5 };
  }
}

export class LandController {
  constructor(private readonly spot: { northM: number; eastM: number }) {}

  update(ctx: NavContext): NavOutput {
    const horizontal = flyTo(ctx.position, { ...this.spot, altitudeM: ctx.position.altitudeM }, ctx.limits);
    return {
      demand: { velNorthMps: horizontal.velNorthMps, velEastMps: horizontal.velEastMps, velUpMps: -ctx.landSpeedMps(ctx.position.altitudeM) },
      yawDeg: null,
      done: ctx.onGround,
    };
  }
}

export class OrbitController {
  private lastAngleRad: number | null = null;
  /** Radians travelled around the centre since the vehicle reached the circle. */
  travelledRad = 0;

  constructor(private readonly center: Target3d, private readonly radiusM: number, private readonly clockwise: boolean) {}

  update(ctx: NavContext): NavOutput {
    const dn = ctx.position.northM - this.center.northM;
    const de = ctx.position.eastM - this.center.eastM;
    const r = Math.hypot(dn, de);
    if (this.lastAngleRad === null) {
      if (Math.abs(r - this.radiusM) > Math.max(2, this.radiusM * 0.2)) {
        const edge = r > 1e-3
          ? { northM: this.center.northM + (dn / r) * this.radiusM, eastM: this.center.eastM + (de / r) * this.radiusM }
          : { northM: this.center.northM + this.radiusM, eastM: this.center.eastM };
        return { ...goTo(ctx, { ...edge, altitudeM: this.center.altitudeM }, 0), done: false };
      }
      this.lastAngleRad = Math.atan2(de, dn);
    }
    const angle = Math.atan2(de, dn);
    let delta = angle - this.lastAngleRad;
    if (delta > Math.PI) delta -= 2 * Math.PI;
    if (delta < -Math.PI) delta += 2 * Math.PI;
    this.travelledRad += this.clockwise ? delta : -delta;
    this.lastAngleRad = angle;
    const demand = orbit(ctx.position, this.center, this.radiusM, this.clockwise, ctx.limits);
    return { demand, yawDeg: yawAlong(demand), done: false };
  }
}

export type RtlPhase = 'climb' | 'return' | 'loiter' | 'land' | 'done';

export class RtlController {
  phase: RtlPhase = 'climb';
  private returnAltitudeM = 0;
  private loiterUntilMs = 0;
  private land: LandController | null = null;

  update(ctx: NavContext): NavOutput {
    if (this.phase === 'climb') {
      this.returnAltitudeM = Math.min(ctx.rtlCeilingM, Math.max(ctx.rtlAltitudeM, ctx.position.altitudeM));
      if (ctx.onGround) this.phase = 'done';
      else this.phase = 'return';
    }
    const speedLimits = { ...ctx.limits, horizontalMps: ctx.rtlSpeedMps };
    if (this.phase === 'return') {
      const climbing = ctx.position.altitudeM < this.returnAltitudeM - 1;
      const target = { northM: ctx.home.northM, eastM: ctx.home.eastM, altitudeM: this.returnAltitudeM };
      if (climbing) {
        // Climb first, in place, as ArduCopter's RTL does.
        return { demand: { ...STILL, velUpMps: Math.min(ctx.limits.upMps, this.returnAltitudeM - ctx.position.altitudeM) }, yawDeg: null, done: false };
      }
      const out = goTo(ctx, target, 2, speedLimits);
      if (!out.done) return out;
      this.phase = 'loiter';
      this.loiterUntilMs = ctx.nowMs + ctx.rtlLoiterMs;
    }
    if (this.phase === 'loiter') {
      const target = { northM: ctx.home.northM, eastM: ctx.home.eastM, altitudeM: this.returnAltitudeM };
      if (ctx.nowMs < this.loiterUntilMs) return hold(ctx, target);
      this.phase = 'land';
      this.land = new LandController(ctx.home);
    }
    if (this.phase === 'land') {
      const out = this.land!.update(ctx);
      if (out.done) this.phase = 'done';
      return out;
    }
    return { demand: STILL, yawDeg: null, done: true };
  }
}
