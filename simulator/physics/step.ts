/**
 * One physics step, as SITL does it: wind → dynamics (kinematic multicopter with limits) → battery →
 * position. Pure: the same state, command, dt and environment always give the same next state.
 */
import { wrapDeg180, wrapDeg360 } from '../geo.ts';
import type { Airframe } from './airframe.ts';
import { stepBattery } from './battery.ts';
import type { Environment, PhysicsCommand, VehicleState } from './state.ts';

const GRAVITY_MPS2 = 9.80665;
const FREE_FALL_LIMIT_MPS = 20;

function approach(current: number, target: number, maxDelta: number): number {
  const d = target - current;
  if (d > maxDelta) return current + maxDelta;
  if (d < -maxDelta) return current - maxDelta;
  return target;
}

export function step(state: VehicleState, command: PhysicsCommand, dtS: number, env: Environment, airframe: Airframe): VehicleState {
  // Wind: mean + Ornstein-Uhlenbeck gusts.
  const tau = Math.max(0.1, env.gustTimeConstantS);
  const gustScale = env.gustStdMps * Math.sqrt((2 * dtS) / tau);
  const gustNorthMps = state.gustNorthMps - (state.gustNorthMps / tau) * dtS + gustScale * env.gustNoiseNorth;
  const gustEastMps = state.gustEastMps - (state.gustEastMps / tau) * dtS + gustScale * env.gustNoiseEast;

  const flying = command.motorsOn && !env.motorFailed;
  let wantNorth = 0, wantEast = 0, wantUp = 0;
  let vertAccel = airframe.maxVerticalAccelMps2;
  if (flying) {
    wantNorth = command.velNorthMps;
    wantEast = command.velEastMps;
    const h = Math.hypot(wantNorth, wantEast);
    if (h > airframe.maxHorizontalSpeedMps) {
      wantNorth *= airframe.maxHorizontalSpeedMps / h;
      wantEast *= airframe.maxHorizontalSpeedMps / h;
    }
    wantUp = Math.max(-airframe.maxDescentMps, Math.min(airframe.maxClimbMps, command.velUpMps));
  } else if (command.motorsOn && env.motorFailed) {
    wantUp = -airframe.motorFailureDescentMps;
  } else if (!state.onGround) {
    wantUp = -FREE_FALL_LIMIT_MPS;
    vertAccel = GRAVITY_MPS2;
  }

  // Horizontal velocity tracks the demand within the acceleration limit; gusts push it off a little.
  const maxDv = airframe.maxHorizontalAccelMps2 * dtS;
  let dvN = wantNorth - state.velNorthMps;
  let dvE = wantEast - state.velEastMps;
  const dv = Math.hypot(dvN, dvE);
  if (dv > maxDv) { dvN *= maxDv / dv; dvE *= maxDv / dv; }
  let velNorthMps = state.velNorthMps + dvN;
  let velEastMps = state.velEastMps + dvE;
  let velUpMps = approach(state.velUpMps, wantUp, vertAccel * dtS);

  let northM = state.northM;
  let eastM = state.eastM;
  let altitudeM = state.altitudeM;
  let onGround = state.onGround;
  if (onGround && !(flying && wantUp > 0)) {
    velNorthMps = 0; velEastMps = 0; velUpMps = 0;
  } else {
    onGround = false;
    const driftN = airframe.gustResponse * gustNorthMps;
    const driftE = airframe.gustResponse * gustEastMps;
    northM += (velNorthMps + driftN) * dtS;
    eastM += (velEastMps + driftE) * dtS;
    altitudeM += velUpMps * dtS;
    if (altitudeM <= 0) {
      altitudeM = 0;
      onGround = true;
      velNorthMps = 0; velEastMps = 0; velUpMps = 0;
    }
  }

  // Yaw within the rate limit.
  let yawDeg = state.yawDeg;
  let yawRateDps = 0;
  if (flying && command.yawDeg !== null && !onGround) {
    const err = wrapDeg180(command.yawDeg - yawDeg);
    const maxStep = airframe.maxYawRateDps * dtS;
    const turn = Math.max(-maxStep, Math.min(maxStep, err));
    yawDeg = wrapDeg360(yawDeg + turn);
    yawRateDps = turn / dtS;
  }

  // Attitude from the acceleration and the air-relative velocity (drag needs a lean into the wind).
  const airNorth = velNorthMps - env.windNorthMps - gustNorthMps;
  const airEast = velEastMps - env.windEastMps - gustEastMps;
  const accN = dvN / dtS + 0.03 * airNorth * Math.abs(airNorth);
  const accE = dvE / dtS + 0.03 * airEast * Math.abs(airEast);
  const yawRad = (yawDeg * Math.PI) / 180;
  const forward = accN * Math.cos(yawRad) + accE * Math.sin(yawRad);
  const right = -accN * Math.sin(yawRad) + accE * Math.cos(yawRad);
  const pitchRad = onGround ? 0 : -Math.atan2(forward, GRAVITY_MPS2);
  const rollRad = onGround ? 0 : Math.atan2(right, GRAVITY_MPS2);

  // Battery: hover current grows with airspeed² and climb.
  let currentA = airframe.idleCurrentA;
  if (command.motorsOn) {
    const airspeedSq = airNorth * airNorth + airEast * airEast;
    currentA += onGround && !flying
      ? 0.1 * airframe.hoverCurrentA
      : airframe.hoverCurrentA + airframe.currentPerAirspeedSq * airspeedSq + airframe.currentPerClimbMps * Math.max(0, velUpMps);
    if (onGround && flying && wantUp <= 0) currentA = airframe.idleCurrentA + 0.1 * airframe.hoverCurrentA;
  }
  const battery = stepBattery(airframe.battery, state.battery, currentA, dtS);

  return {
    timeS: state.timeS + dtS, northM, eastM, altitudeM, velNorthMps, velEastMps, velUpMps, yawDeg, yawRateDps,
    rollRad, pitchRad, onGround, gustNorthMps, gustEastMps, battery,
  };
}
