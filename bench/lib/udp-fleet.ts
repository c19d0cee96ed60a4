/**
 * A lightweight fleet of MAVLink senders for load (the simulator is not merged yet): N vehicles,
 * each from its own UDP socket with its own sysid, flying a circle around a parked position and
 * sending ArduCopter-like telemetry on its own schedule (every message at a fixed period from a
 * per-vehicle phase, the way an autopilot's scheduler does): HEARTBEAT 1 Hz, GLOBAL_POSITION_INT
 * 5 Hz, ATTITUDE 4 Hz, VFR_HUD 2 Hz, SYS_STATUS, GPS_RAW_INT, EXTENDED_SYS_STATE and
 * MISSION_CURRENT 1 Hz, HOME_POSITION 0.2 Hz by default. Every COMMAND_LONG is acknowledged
 * (so the server's stream requests succeed); the rates stay as configured.
 */
import dgram from 'node:dgram';
import { common, minimal } from 'mavlink-mappings';
import { decodeDatagram, newDecodeCounters } from '../../server/mavlink/frame-decoder.ts';
import { FrameEncoder } from '../../server/mavlink/frame-encoder.ts';
import { decodeAs } from '../../server/mavlink/message.ts';

export interface UdpFleetRates {
  positionHz: number;
  attitudeHz: number;
  vfrHudHz: number;
  /** HEARTBEAT, SYS_STATUS, GPS_RAW_INT, EXTENDED_SYS_STATE, MISSION_CURRENT. */
  slowHz: number;
  homeHz: number;
}

export const DEFAULT_RATES: UdpFleetRates = { positionHz: 5, attitudeHz: 4, vfrHudHz: 2, slowHz: 1, homeHz: 0.2 };

export interface UdpFleetOptions {
  server: { host: string; port: number };
  vehicles: number;
  rates?: Partial<UdpFleetRates>;
  home?: { lat: number; lon: number };
  seed?: number;
  /** Scheduler period, ms. */
  stepMs?: number;
}

interface Vehicle {
  socket: dgram.Socket;
  enc: FrameEncoder;
  lat0: number;
  lon0: number;
  radiusM: number;
  phase: number;
  next: number[];
}

const M_PER_DEG = 111_320;
const KINDS = ['heartbeat', 'position', 'attitude', 'vfrHud', 'sysStatus', 'gps', 'extSys', 'missionCurrent', 'home'] as const;

export class UdpFleet {
  datagramsSent = 0;
  commandsAcked = 0;
  private readonly vehicles: Vehicle[] = [];
  private readonly periods: number[];
  private timer: NodeJS.Timeout | null = null;
  private readonly t0 = performance.now();
  private readonly rng: () => number;

  constructor(private readonly opts: UdpFleetOptions) {
    const r = { ...DEFAULT_RATES, ...opts.rates };
    const hz = [r.slowHz, r.positionHz, r.attitudeHz, r.vfrHudHz, r.slowHz, r.slowHz, r.slowHz, r.slowHz, r.homeHz];
    this.periods = hz.map((h) => 1000 / h);
    let a = opts.seed ?? 1;
    this.rng = () => ((a = (a * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  }

  async start(): Promise<this> {
    const home = this.opts.home ?? { lat: 30.4987, lon: 114.4123 };
    const side = Math.ceil(Math.sqrt(this.opts.vehicles));
    for (let i = 0; i < this.opts.vehicles; i++) {
      const socket = dgram.createSocket('udp4');
      await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
      const sysid = (i % 250) + 1;
      const enc = new FrameEncoder({ sysid, compid: 1 });
      const v: Vehicle = {
        socket, enc,
        lat0: home.lat + (Math.floor(i / side) * 300) / M_PER_DEG, lon0: home.lon + ((i % side) * 300) / M_PER_DEG,
        radiusM: 50 + this.rng() * 100, phase: this.rng() * 2 * Math.PI,
        next: [],
      };
      const offset = this.rng() * 1000;
      v.next = this.periods.map(() => offset);
      socket.on('message', (msg) => decodeDatagram(msg, (f) => {
        if (f.msgid !== common.CommandLong.MSG_ID || f.sysid !== 255) return;
        const c = decodeAs(f, common.CommandLong);
        this.commandsAcked++;
        this.send(v, common.CommandAck, { command: c.command, result: 0, progress: 0, targetSystem: 255, targetComponent: 190 });
      }, newDecodeCounters()));
      this.vehicles.push(v);
    }
    this.timer = setInterval(() => this.step(), this.opts.stepMs ?? 5);
    return this;
  }

  get ports(): number[] {
    return this.vehicles.map((v) => v.socket.address().port);
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all(this.vehicles.map((v) => new Promise<void>((r) => v.socket.close(() => r()))));
  }

  private send(v: Vehicle, clazz: Parameters<FrameEncoder['encode']>[0], fields: Record<string, unknown>): void {
    this.datagramsSent++;
    v.socket.send(v.enc.encode(clazz, fields), this.opts.server.port, this.opts.server.host);
  }

  private step(): void {
    const now = performance.now() - this.t0;
    for (const v of this.vehicles) {
      for (let k = 0; k < KINDS.length; k++) {
        if (now < v.next[k]!) continue;
        v.next[k]! += this.periods[k]!;
        if (v.next[k]! < now) v.next[k] = now + this.periods[k]!; // fell behind: no burst to catch up
        this.emit(v, k, now);
      }
    }
  }

  private emit(v: Vehicle, k: number, nowMs: number): void {
    const s = nowMs / 1000;
    const ang = v.phase + s / 20; // a lap every ~2 minutes
    const speed = (v.radiusM / 20);
    const lat = v.lat0 + (v.radiusM * Math.sin(ang)) / M_PER_DEG;
    const lon = v.lon0 + (v.radiusM * Math.cos(ang)) / (M_PER_DEG * Math.cos((v.lat0 * Math.PI) / 180));
    const headingRad = (ang + Math.PI) % (2 * Math.PI);
    const altRelM = 30 + 2 * Math.sin(s / 5);
    switch (KINDS[k]) {
      case 'heartbeat':
        return this.send(v, minimal.Heartbeat, {
          type: minimal.MavType.QUADROTOR, autopilot: minimal.MavAutopilot.ARDUPILOTMEGA,
          baseMode: minimal.MavModeFlag.CUSTOM_MODE_ENABLED | minimal.MavModeFlag.SAFETY_ARMED, customMode: 4, systemStatus: minimal.MavState.ACTIVE, mavlinkVersion: 3,
        });
      case 'position':
        return this.send(v, common.GlobalPositionInt, {
          timeBootMs: Math.round(nowMs), lat: Math.round(lat * 1e7), lon: Math.round(lon * 1e7), alt: Math.round((30 + altRelM) * 1000), relativeAlt: Math.round(altRelM * 1000),
          vx: Math.round(-speed * Math.sin(ang) * 100), vy: Math.round(speed * Math.cos(ang) * 100), vz: 0, hdg: Math.round(((headingRad * 180) / Math.PI) * 100),
        });
      case 'attitude':
        return this.send(v, common.Attitude, { timeBootMs: Math.round(nowMs), roll: 0.05 * Math.sin(s * 3), pitch: -0.08 + 0.01 * Math.sin(s * 2), yaw: headingRad - Math.PI, rollspeed: 0, pitchspeed: 0, yawspeed: 0.05 });
      case 'vfrHud':
        return this.send(v, common.VfrHud, { airspeed: speed, groundspeed: Math.round(speed * 10) / 10, heading: Math.round((headingRad * 180) / Math.PI), throttle: 45, alt: 30 + altRelM, climb: Math.round(0.4 * Math.cos(s / 5) * 10) / 10 });
      case 'sysStatus':
        return this.send(v, common.SysStatus, { voltageBattery: Math.round(25_200 - s * 2), currentBattery: 1800, batteryRemaining: Math.max(0, 100 - Math.floor(s / 6)) });
      case 'gps':
        return this.send(v, common.GpsRawInt, { fixType: 3, satellitesVisible: 14, lat: Math.round(lat * 1e7), lon: Math.round(lon * 1e7) });
      case 'extSys':
        return this.send(v, common.ExtendedSysState, { landedState: 2 });
      case 'missionCurrent':
        return this.send(v, common.MissionCurrent, { seq: 0, total: 0 });
      case 'home':
        return this.send(v, common.HomePosition, { latitude: Math.round(v.lat0 * 1e7), longitude: Math.round(v.lon0 * 1e7), altitude: 30_000 });
    }
  }
}
