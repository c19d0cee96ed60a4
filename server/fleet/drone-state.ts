/**
 * Reduces the messages of a drone's autopilot into its Drone state (in place: this is the ingest
 * hot path) and reports what changed as events.
 */
import { ardupilotmega, common, minimal } from 'mavlink-mappings';
import type { AutopilotAdapter } from '../autopilots/autopilot.ts';
import type { Drone } from '../contracts/drone.ts';
import type { Frame } from '../mavlink/frame.ts';
import { decodeAs } from '../mavlink/message.ts';
import type { DroneEvent } from './events.ts';

const MAV_MODE_FLAG_SAFETY_ARMED = 0x80;
const MAV_LANDED_STATE_ON_GROUND = 1;
const RAD_TO_DEG = 180 / Math.PI;
/**
 * Which message a drone's speed/heading and battery come from once it sends both candidates:
 * GLOBAL_POSITION_INT over VFR_HUD, BATTERY_STATUS over SYS_STATUS. Two sources for one field
 * make it flip between slightly different values (and the stream send each flip).
 */
const sources = new WeakMap<Drone, { position: boolean; batteryStatus: boolean }>();
function sourcesOf(d: Drone) {
  let s = sources.get(d);
  if (!s) sources.set(d, (s = { position: false, batteryStatus: false }));
  return s;
}

/** Telemetry floats are kept to what the sensors can tell (and what the stream needs to send). */
const round1 = (x: number) => Math.round(x * 10) / 10;
export const LOW_BATTERY_PCT = 25;

const VEHICLE_TYPES: Record<number, string> = {
  0: 'generic', 1: 'fixed-wing', 2: 'quadrotor', 3: 'coaxial', 4: 'helicopter', 10: 'ground-rover', 11: 'surface-boat',
  13: 'hexarotor', 14: 'octorotor', 15: 'tricopter', 19: 'vtol-tailsitter-duorotor', 20: 'vtol-tailsitter-quadrotor',
  21: 'vtol-tiltrotor', 22: 'vtol-fixedrotor', 29: 'dodecarotor', 35: 'decarotor',
};
const SYSTEM_STATUS = ['UNINIT', 'BOOT', 'CALIBRATING', 'STANDBY', 'ACTIVE', 'CRITICAL', 'EMERGENCY', 'POWEROFF', 'FLIGHT_TERMINATION'];

export function vehicleTypeName(type: number): string {
  return VEHICLE_TYPES[type] ?? `type-${type}`;
}

export function newDroneState(init: { id: string; sysid: number; compid: number; autopilot: AutopilotAdapter; type: number; linkId: string; remote: string; nowMs: number }): Drone {
  return {
    id: init.id, sysid: init.sysid, compid: init.compid, callsign: init.id,
    autopilot: init.autopilot.name, vehicleType: vehicleTypeName(init.type),
    connected: true, armed: false, mode: 'UNKNOWN', landed: true, systemStatus: 'UNINIT',
    position: null, home: null, headingDeg: null, groundSpeedMps: null, climbMps: null, attitude: null,
    battery: { remainingPct: null, voltageV: null, currentA: null },
    gps: { fixType: 0, satellites: null },
    mission: { current: 0, count: 0 },
    link: { id: init.linkId, remote: init.remote, packetLossPct: 0, framesIn: 0 },
    components: [],
    statusText: null,
    lastHeartbeatAt: new Date(init.nowMs).toISOString(),
    wind: null,
    task: null,
  };
}

/**
 * Apply one frame from the drone's autopilot component. Pushes events onto `events`;
 * returns true when a field of the state changed.
 */
export function applyMessage(d: Drone, frame: Frame, adapter: AutopilotAdapter, nowMs: number, events: DroneEvent[]): boolean {
  const at = () => new Date(nowMs).toISOString();
  switch (frame.msgid) {
    case minimal.Heartbeat.MSG_ID: {
      const hb = decodeAs(frame, minimal.Heartbeat);
      const armed = (hb.baseMode & MAV_MODE_FLAG_SAFETY_ARMED) !== 0;
      const mode = adapter.modeName(hb.baseMode, hb.customMode);
      d.lastHeartbeatAt = at();
      if (armed !== d.armed) events.push({ kind: armed ? 'armed' : 'disarmed', droneId: d.id, at: at() });
      if (mode !== d.mode) events.push({ kind: 'mode-changed', droneId: d.id, at: at(), from: d.mode, to: mode });
      d.armed = armed;
      d.mode = mode;
      d.systemStatus = SYSTEM_STATUS[hb.systemStatus] ?? `STATE_${hb.systemStatus}`;
      if (!armed) setLanded(d, true, events, at);
      return true;
    }
    case common.GlobalPositionInt.MSG_ID: {
      const p = decodeAs(frame, common.GlobalPositionInt);
      d.position = { lat: p.lat / 1e7, lon: p.lon / 1e7, altMslM: p.alt / 1000, altRelM: p.relativeAlt / 1000 };
      if (p.hdg !== 65535) d.headingDeg = p.hdg / 100;
      d.groundSpeedMps = round1(Math.hypot(p.vx, p.vy) / 100);
      d.climbMps = round1(-p.vz / 100);
      sourcesOf(d).position = true;
      return true;
    }
    case common.Attitude.MSG_ID: {
      const a = decodeAs(frame, common.Attitude);
      const yawDeg = round1(((a.yaw * RAD_TO_DEG) + 360) % 360);
      d.attitude = { rollDeg: round1(a.roll * RAD_TO_DEG), pitchDeg: round1(a.pitch * RAD_TO_DEG), yawDeg };
      if (d.headingDeg === null) d.headingDeg = yawDeg;
      return true;
    }
    case common.VfrHud.MSG_ID: {
      if (sourcesOf(d).position) return false;
      const h = decodeAs(frame, common.VfrHud);
      d.groundSpeedMps = round1(h.groundspeed);
      d.climbMps = round1(h.climb);
      d.headingDeg = h.heading;
      return true;
    }
    case common.SysStatus.MSG_ID: {
      if (sourcesOf(d).batteryStatus) return false;
      const s = decodeAs(frame, common.SysStatus);
      if (s.voltageBattery !== 65535) d.battery.voltageV = round1(s.voltageBattery / 1000);
      if (s.currentBattery !== -1) d.battery.currentA = round1(s.currentBattery / 100);
      if (s.batteryRemaining !== -1) setRemaining(d, s.batteryRemaining, events, at);
      return true;
    }
    case common.BatteryStatus.MSG_ID: {
      const b = decodeAs(frame, common.BatteryStatus);
      if (b.id !== 0) return false;
      const cells = b.voltages.filter((mv) => mv !== 65535);
      sourcesOf(d).batteryStatus = true;
      if (cells.length > 0) d.battery.voltageV = round1(cells.reduce((sum, mv) => sum + mv, 0) / 1000);
      if (b.currentBattery !== -1) d.battery.currentA = round1(b.currentBattery / 100);
      if (b.batteryRemaining !== -1) setRemaining(d, b.batteryRemaining, events, at);
      return true;
    }
    case common.GpsRawInt.MSG_ID: {
      const g = decodeAs(frame, common.GpsRawInt);
      d.gps = { fixType: g.fixType, satellites: g.satellitesVisible === 255 ? null : g.satellitesVisible };
      return true;
    }
    case common.HomePosition.MSG_ID: {
      const h = decodeAs(frame, common.HomePosition);
      d.home = { lat: h.latitude / 1e7, lon: h.longitude / 1e7, altMslM: h.altitude / 1000 };
      return true;
    }
    case common.ExtendedSysState.MSG_ID: {
      const e = decodeAs(frame, common.ExtendedSysState);
      if (e.landedState === 0) return false;
      setLanded(d, e.landedState === MAV_LANDED_STATE_ON_GROUND, events, at);
      return true;
    }
    case common.MissionCurrent.MSG_ID: {
      const m = decodeAs(frame, common.MissionCurrent);
      if (m.seq !== d.mission.current) events.push({ kind: 'mission-current', droneId: d.id, at: at(), seq: m.seq });
      d.mission.current = m.seq;
      if (m.total !== 0 && m.total !== 65535) d.mission.count = m.total;
      return true;
    }
    case common.MissionItemReached.MSG_ID: {
      events.push({ kind: 'mission-item-reached', droneId: d.id, at: at(), seq: decodeAs(frame, common.MissionItemReached).seq });
      return false;
    }
    case ardupilotmega.Wind.MSG_ID: {
      // The one source of `wind` (not WIND_COV, not HIGH_LATENCY2): ArduPilot's WIND gives the
      // direction the wind comes FROM in (-180, 180]; kept as 0–359 whole degrees and 0.1 m/s.
      const w = decodeAs(frame, ardupilotmega.Wind);
      if (!Number.isFinite(w.speed) || !Number.isFinite(w.direction) || w.speed < 0) return false;
      const speedMps = round1(w.speed);
      const fromDeg = ((Math.round(w.direction) % 360) + 360) % 360;
      if (d.wind && d.wind.speedMps === speedMps && d.wind.fromDeg === fromDeg) return false;
      d.wind = { speedMps, fromDeg };
      return true;
    }
    case common.StatusText.MSG_ID: {
      const t = decodeAs(frame, common.StatusText);
      d.statusText = { severity: t.severity, text: t.text, at: at() };
      events.push({ kind: 'statustext', droneId: d.id, at: at(), severity: t.severity, text: t.text });
      return true;
    }
    default:
      return false;
  }
}

function setLanded(d: Drone, landed: boolean, events: DroneEvent[], at: () => string): void {
  if (landed === d.landed) return;
  d.landed = landed;
  events.push({ kind: landed ? 'landed' : 'airborne', droneId: d.id, at: at() });
}

function setRemaining(d: Drone, pct: number, events: DroneEvent[], at: () => string): void {
  const before = d.battery.remainingPct;
  d.battery.remainingPct = pct;
  if (pct < LOW_BATTERY_PCT && (before === null || before >= LOW_BATTERY_PCT)) {
    events.push({ kind: 'low-battery', droneId: d.id, at: at(), remainingPct: pct });
  }
}
