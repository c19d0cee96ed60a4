/**
 * Telemetry messages built from what the autopilot knows (estimates and sensor readings, never the
 * ground truth), in wire units: degE7, mm, cm/s, cdeg, mV, cA.
 */
import { ardupilotmega, common, minimal, standard } from 'mavlink-mappings';
import type { FrameEncoder } from '../../server/mavlink/frame-encoder.ts';
import { ARDUCOPTER_VERSION, type Copter } from '../autopilot/copter.ts';
import { MissionType } from '../autopilot/mission-item.ts';
import { CopterMode } from '../autopilot/modes.ts';
import type { SensorInputs } from '../autopilot/sensors.ts';
import type { LocalFrame } from '../geo.ts';
import { MSG } from './stream-rates.ts';

export interface TelemetrySource {
  readonly copter: Copter;
  readonly frame: LocalFrame;
  readonly groundAmslM: number;
  readonly batteryCapacityMah: number;
  sensors(): SensorInputs;
  nowMs(): number;
}

const Flag = minimal.MavModeFlag;
const SENSORS_PRESENT = 0x1 | 0x2 | 0x4 | 0x8 | 0x20 | 0x400 | 0x800 | 0x1000 | 0x8000 | 0x200000 | 0x2000000;
const SENSOR_GPS = 0x20;
const SENSOR_BATTERY = 0x2000000;
const UINT16_MAX = 0xffff;
const INT16_MAX = 0x7fff;


export function baseMode(copter: Copter): number {
  let mode = Flag.CUSTOM_MODE_ENABLED | Flag.STABILIZE_ENABLED | Flag.MANUAL_INPUT_ENABLED;
  if (copter.mode !== CopterMode.STABILIZE && copter.mode !== CopterMode.LOITER) mode |= Flag.GUIDED_ENABLED;
  if (copter.armed) mode |= Flag.SAFETY_ARMED;
  return mode;
}

export function systemStatus(copter: Copter): number {
  if (copter.armed) return copter.inFailsafe ? minimal.MavState.CRITICAL : minimal.MavState.ACTIVE;
  return minimal.MavState.STANDBY;
}

export function encodeHeartbeat(enc: FrameEncoder, copter: Copter): Buffer {
  return enc.encode(minimal.Heartbeat, {
    type: minimal.MavType.QUADROTOR, autopilot: minimal.MavAutopilot.ARDUPILOTMEGA, baseMode: baseMode(copter),
    customMode: copter.mode, systemStatus: systemStatus(copter), mavlinkVersion: 3,
  });
}

function headingCdeg(yawDeg: number): number {
  const h = Math.round(yawDeg * 100) % 36000;
  return h < 0 ? h + 36000 : h;
}

function chargeState(copter: Copter): number {
  if (copter.failsafe.batteryCritical) return common.MavBatteryChargeState.CRITICAL;
  if (copter.failsafe.batteryLow) return common.MavBatteryChargeState.LOW;
  return common.MavBatteryChargeState.OK;
}

/** Encodes message `msgid` for this vehicle, or returns null when it has nothing to say (e.g. no home yet). */
export function encodeTelemetry(enc: FrameEncoder, msgid: number, src: TelemetrySource): Buffer | null {
  const c = src.copter;
  const s = src.sensors();
  switch (msgid) {
    case MSG.SYS_STATUS: {
      const health = SENSORS_PRESENT & ~(s.gps.fixType >= 3 ? 0 : SENSOR_GPS) & ~(c.failsafe.batteryLow ? SENSOR_BATTERY : 0);
      return enc.encode(common.SysStatus, {
        onboardControlSensorsPresent: SENSORS_PRESENT, onboardControlSensorsEnabled: SENSORS_PRESENT, onboardControlSensorsHealth: health,
        load: 200, voltageBattery: Math.round(s.battery.voltageV * 1000), currentBattery: Math.round(s.battery.currentA * 100),
        batteryRemaining: Math.round(s.battery.remainingPct), dropRateComm: 0, errorsComm: 0,
      });
    }
    case MSG.BATTERY_STATUS: {
      const remainingS = s.battery.currentA > 1 ? Math.round(((src.batteryCapacityMah - s.battery.usedMah) / (s.battery.currentA * 1000)) * 3600) : 0;
      return enc.encode(common.BatteryStatus, {
        id: 0, batteryFunction: common.MavBatteryFunction.ALL, type: common.MavBatteryType.LIPO, temperature: INT16_MAX,
        voltages: [Math.round(s.battery.voltageV * 1000), UINT16_MAX, UINT16_MAX, UINT16_MAX, UINT16_MAX, UINT16_MAX, UINT16_MAX, UINT16_MAX, UINT16_MAX, UINT16_MAX],
        currentBattery: Math.round(s.battery.currentA * 100), currentConsumed: Math.round(s.battery.usedMah),
        energyConsumed: Math.round((s.battery.usedMah / 1000) * 22.8 * 3600 / 100), batteryRemaining: Math.round(s.battery.remainingPct),
        timeRemaining: Math.max(0, remainingS), chargeState: chargeState(c),
      });
    }
    case MSG.GPS_RAW_INT: {
      const p = src.frame.toLatLon(s.gps);
      const speed = Math.hypot(s.gps.velNorthMps, s.gps.velEastMps);
      const cog = Math.atan2(s.gps.velEastMps, s.gps.velNorthMps) * 180 / Math.PI;
      return enc.encode(common.GpsRawInt, {
        timeUsec: BigInt(Math.round(src.nowMs())) * 1000n, fixType: s.gps.fixType,
        lat: s.gps.fixType >= 2 ? Math.round(p.lat * 1e7) : 0, lon: s.gps.fixType >= 2 ? Math.round(p.lon * 1e7) : 0,
        alt: Math.round((src.groundAmslM + s.gps.altitudeM) * 1000), eph: Math.round(s.gps.hdopM * 100), epv: Math.round(s.gps.hdopM * 150),
        vel: Math.round(speed * 100), cog: speed > 0.5 ? headingCdeg(cog) : UINT16_MAX, satellitesVisible: s.gps.satellites,
      });
    }
    case MSG.GLOBAL_POSITION_INT: {
      const p = src.frame.toLatLon(c.position);
      const homeAmsl = c.home?.amslM ?? src.groundAmslM;
      return enc.encode(common.GlobalPositionInt, {
        timeBootMs: c.timeBootMs >>> 0, lat: Math.round(p.lat * 1e7), lon: Math.round(p.lon * 1e7),
        alt: Math.round((homeAmsl + c.position.altitudeM) * 1000), relativeAlt: Math.round(c.position.altitudeM * 1000),
        vx: Math.round(c.velocity.northMps * 100), vy: Math.round(c.velocity.eastMps * 100), vz: Math.round(-c.velocity.upMps * 100),
        hdg: headingCdeg(s.yawDeg),
      });
    }
    case MSG.ATTITUDE: {
      const yawRad = ((s.yawDeg > 180 ? s.yawDeg - 360 : s.yawDeg) * Math.PI) / 180;
      return enc.encode(common.Attitude, {
        timeBootMs: c.timeBootMs >>> 0, roll: s.rollRad, pitch: s.pitchRad, yaw: yawRad, rollspeed: 0, pitchspeed: 0,
        yawspeed: (s.yawRateDps * Math.PI) / 180,
      });
    }
    case MSG.VFR_HUD: {
      const speed = Math.hypot(c.velocity.northMps, c.velocity.eastMps);
      return enc.encode(common.VfrHud, {
        airspeed: speed, groundspeed: speed, alt: (c.home?.amslM ?? src.groundAmslM) + c.position.altitudeM, climb: c.velocity.upMps,
        heading: Math.round(s.yawDeg) % 360, throttle: c.armed ? (c.onGround ? 0 : 45) : 0,
      });
    }
    case MSG.HOME_POSITION: {
      if (!c.home) return null;
      return enc.encode(common.HomePosition, {
        latitude: Math.round(c.home.latLon.lat * 1e7), longitude: Math.round(c.home.latLon.lon * 1e7), altitude: Math.round(c.home.amslM * 1000),
        x: 0, y: 0, z: 0, q: [1, 0, 0, 0], approachX: 0, approachY: 0, approachZ: 0, timeUsec: BigInt(Math.round(src.nowMs())) * 1000n,
      });
    }
    case MSG.WIND: {
      // As ArduPilot's send_wind(): direction = degrees(atan2(-wind.y, -wind.x)), the bearing the
      // wind comes FROM, in (-180, 180] (not wrapped to 0–360); speed = |wind|; speed_z = wind.z (NED).
      const w = s.wind;
      if (!w) return null;
      return enc.encode(ardupilotmega.Wind, {
        direction: Math.atan2(-w.eastMps, -w.northMps) * 180 / Math.PI,
        speed: Math.hypot(w.northMps, w.eastMps, w.downMps), speedZ: w.downMps,
      });
    }
    case MSG.EXTENDED_SYS_STATE:
      return enc.encode(common.ExtendedSysState, { vtolState: 0, landedState: c.landedState });
    case MSG.MISSION_CURRENT: {
      const count = c.missions.items(MissionType.MISSION).length;
      const state = count <= 1 ? common.MissionState.NO_MISSION
        : c.mode !== CopterMode.AUTO ? common.MissionState.NOT_STARTED
        : c.executor.status === 'complete' ? common.MissionState.COMPLETE : common.MissionState.ACTIVE;
      return enc.encode(common.MissionCurrent, {
        seq: c.missionCurrentSeq, total: count <= 1 ? UINT16_MAX : count - 1, missionState: state, missionMode: c.mode === CopterMode.AUTO ? 1 : 0,
        missionId: c.missions.versions[0], fenceId: c.missions.versions[1], rallyPointsId: c.missions.versions[2],
      });
    }
    case MSG.AUTOPILOT_VERSION: {
      const v = ARDUCOPTER_VERSION;
      return enc.encode(standard.AutopilotVersion, {
        capabilities: BigInt(1 | 2 | 4 | 8 | 256 | 8192 | 16384 | 32768) as unknown as number,
        flightSwVersion: ((v.major << 24) | (v.minor << 16) | (v.patch << 8) | 255) >>> 0,
        middlewareSwVersion: 0, osSwVersion: 0, boardVersion: 0, vendorId: 0, productId: 0, uid: 0n,
        flightCustomVersion: [0, 0, 0, 0, 0, 0, 0, 0], middlewareCustomVersion: [0, 0, 0, 0, 0, 0, 0, 0], osCustomVersion: [0, 0, 0, 0, 0, 0, 0, 0],
      });
    }
    default:
      return null;
  }
}
