/**
 * A small scripted ArduCopter-like vehicle for the server's own tests, over a real socket.
 * It is not the simulator: it moves in straight lines at fixed speeds and has named failure modes
 * so a test can make it misbehave on purpose:
 *
 *   DenyArm            arming refused: STATUSTEXT "PreArm: Need Position Estimate", then ACK FAILED
 *   IgnoreCommands     COMMAND_LONG / COMMAND_INT never acknowledged
 *   TakeoffInProgress  NAV_TAKEOFF answered IN_PROGRESS, ACCEPTED 300 ms later
 *   NoMessageInterval  SET_MESSAGE_INTERVAL answered UNSUPPORTED (only REQUEST_DATA_STREAM works)
 *   LegacyMissionRequest  asks for mission items with MISSION_REQUEST (as real ArduCopter does)
 *   dropMissionPct     drops that share of mission messages both ways (seeded)
 *   silent             stops sending anything (link loss) while set
 *
 * With `signingKey` it signs everything it sends (strictly increasing timestamps) and, like a
 * vehicle that requires signing, drops what it receives unsigned, badly signed or replayed,
 * counting each kind in `received`. It records SETUP_SIGNING messages in `signingSetups`.
 */
import dgram from 'node:dgram';
import { common, minimal } from 'mavlink-mappings';
import type { MessageClass } from '../../server/mavlink/definitions.ts';
import { decodeDatagram, newDecodeCounters } from '../../server/mavlink/frame-decoder.ts';
import { FrameEncoder, type MessageFields } from '../../server/mavlink/frame-encoder.ts';
import type { Frame } from '../../server/mavlink/frame.ts';
import { decodeAs } from '../../server/mavlink/message.ts';
import type { WireMissionItem } from '../../server/mavlink/mission-transfer/types.ts';
import { LinkSigner } from '../../server/mavlink/signing/link-signer.ts';
import { SignatureVerifier, type Verdict } from '../../server/mavlink/signing/signature-verifier.ts';
import { systemClock } from '../../server/time/clock.ts';

export type FailureMode = 'DenyArm' | 'IgnoreCommands' | 'TakeoffInProgress' | 'NoMessageInterval' | 'LegacyMissionRequest';

export interface ScriptedVehicleOptions {
  server: { host: string; port: number };
  sysid?: number;
  home?: { lat: number; lon: number; altMslM: number };
  failures?: FailureMode[];
  dropMissionPct?: number;
  seed?: number;
  heartbeatMs?: number;
  /** 32-byte MAVLink 2 signing key: sign what it sends, refuse what is not signed with it. */
  signingKey?: Buffer;
}

const MODES = { STABILIZE: 0, AUTO: 3, GUIDED: 4, LOITER: 5, RTL: 6, LAND: 9, BRAKE: 17 } as const;
type ModeName = keyof typeof MODES;
const MODE_BY_NUMBER = new Map<number, ModeName>(Object.entries(MODES).map(([k, v]) => [v, k as ModeName]));
const HORIZONTAL_MPS = 40;
const VERTICAL_MPS = 10;
const STEP_MS = 50;
const M_PER_DEG_LAT = 111_320;

export class ScriptedVehicle {
  readonly sysid: number;
  readonly failures: Set<FailureMode>;
  dropMissionPct: number;
  silent = false;
  /** Commands received (MAV_CMD numbers), in order. */
  readonly commandsReceived: number[] = [];
  readonly missions: Record<number, WireMissionItem[]> = { 0: [], 1: [], 2: [] };
  /** Frames received, by signature verdict (all 'ok' when the vehicle has no key). */
  readonly received: Record<Verdict, number> = { ok: 0, unsigned: 0, badSignature: 0, replayed: 0 };
  /** Signed frames received from the server that verified. */
  signedReceived = 0;
  readonly signingSetups: Array<{ key: string; initialTimestamp: bigint }> = [];
  armed = false;
  mode: ModeName = 'STABILIZE';
  lat: number;
  lon: number;
  altRelM = 0;
  private target: { lat: number; lon: number; altRelM: number } | null = null;
  private readonly home: { lat: number; lon: number; altMslM: number };
  private readonly socket = dgram.createSocket('udp4');
  private readonly enc: FrameEncoder;
  private readonly verifier: SignatureVerifier | null;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly intervals = new Map<number, NodeJS.Timeout>();
  private streaming = false;
  private rng: number;
  private upload: { type: number; count: number; items: WireMissionItem[]; next: number; timer: NodeJS.Timeout | null } | null = null;

  constructor(private readonly opts: ScriptedVehicleOptions) {
    this.sysid = opts.sysid ?? 1;
    this.failures = new Set(opts.failures ?? []);
    this.dropMissionPct = opts.dropMissionPct ?? 0;
    this.rng = opts.seed ?? 7;
    this.home = opts.home ?? { lat: 30.4987, lon: 114.4123, altMslM: 30 };
    this.lat = this.home.lat;
    this.lon = this.home.lon;
    const signer = opts.signingKey ? new LinkSigner({ key: opts.signingKey, clock: systemClock }) : null;
    this.verifier = opts.signingKey ? new SignatureVerifier({ key: opts.signingKey }) : null;
    this.enc = new FrameEncoder({ sysid: this.sysid, compid: 1, signer });
    this.socket.on('message', (msg) => decodeDatagram(msg, (f) => this.admit(f), newDecodeCounters()));
  }

  async start(): Promise<this> {
    await new Promise<void>((r) => this.socket.bind(0, '127.0.0.1', () => r()));
    this.heartbeat();
    this.timers.push(setInterval(() => this.heartbeat(), this.opts.heartbeatMs ?? 250));
    this.timers.push(setInterval(() => this.step(), STEP_MS));
    return this;
  }

  get port(): number {
    return this.socket.address().port;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const t of this.intervals.values()) clearInterval(t);
    if (this.upload?.timer) clearTimeout(this.upload.timer);
    await new Promise<void>((r) => this.socket.close(() => r()));
  }

  send<C extends MessageClass>(clazz: C, fields: MessageFields<C>): void {
    if (this.silent) return;
    this.socket.send(this.enc.encode(clazz, fields), this.opts.server.port, this.opts.server.host);
  }

  /** A frame as this vehicle would send it (signed when it has a key), without sending it. */
  encode<C extends MessageClass>(clazz: C, fields: MessageFields<C>): Buffer {
    return this.enc.encode(clazz, fields);
  }

  /** The heartbeat this vehicle sends now, as bytes (for tampering and replay tests). */
  heartbeatFrame(): Buffer {
    return this.enc.encode(minimal.Heartbeat, this.heartbeatFields());
  }

  /** Raw bytes from this vehicle's socket (for garbage tests). */
  sendRaw(bytes: Uint8Array): void {
    this.socket.send(bytes, this.opts.server.port, this.opts.server.host);
  }

  get landed(): boolean {
    return this.altRelM < 0.2;
  }

  private random(): number {
    this.rng = (this.rng * 1103515245 + 12345) & 0x7fffffff;
    return this.rng / 0x7fffffff;
  }

  private dropMission(): boolean {
    return this.dropMissionPct > 0 && this.random() * 100 < this.dropMissionPct;
  }

  private heartbeatFields(): MessageFields<typeof minimal.Heartbeat> {
    return {
      type: minimal.MavType.QUADROTOR, autopilot: minimal.MavAutopilot.ARDUPILOTMEGA,
      baseMode: (minimal.MavModeFlag.CUSTOM_MODE_ENABLED | (this.armed ? minimal.MavModeFlag.SAFETY_ARMED : 0)) as minimal.MavModeFlag,
      customMode: MODES[this.mode], systemStatus: this.armed ? minimal.MavState.ACTIVE : minimal.MavState.STANDBY, mavlinkVersion: 3,
    };
  }

  private heartbeat(): void {
    this.send(minimal.Heartbeat, this.heartbeatFields());
  }

  private admit(f: Frame): void {
    const verdict = this.verifier ? this.verifier.check(f) : 'ok';
    this.received[verdict]++;
    if (verdict !== 'ok') return;
    if (this.verifier && f.signature) this.signedReceived++;
    this.receive(f);
  }

  private telemetry(msgid: number): void {
    switch (msgid) {
      case common.GlobalPositionInt.MSG_ID:
        return this.send(common.GlobalPositionInt, {
          lat: Math.round(this.lat * 1e7), lon: Math.round(this.lon * 1e7), alt: Math.round((this.home.altMslM + this.altRelM) * 1000),
          relativeAlt: Math.round(this.altRelM * 1000), hdg: 9000,
        });
      case common.SysStatus.MSG_ID:
        return this.send(common.SysStatus, { voltageBattery: 25_200, currentBattery: 1200, batteryRemaining: 87 });
      case common.ExtendedSysState.MSG_ID:
        return this.send(common.ExtendedSysState, { landedState: this.landed ? 1 : 2 });
      case common.HomePosition.MSG_ID:
        return this.send(common.HomePosition, { latitude: Math.round(this.home.lat * 1e7), longitude: Math.round(this.home.lon * 1e7), altitude: this.home.altMslM * 1000 });
      case common.GpsRawInt.MSG_ID:
        return this.send(common.GpsRawInt, { fixType: 3, satellitesVisible: 14 });
    }
  }

  private setInterval(msgid: number, intervalUs: number): void {
    clearInterval(this.intervals.get(msgid));
    if (intervalUs <= 0) return;
    this.intervals.set(msgid, setInterval(() => this.telemetry(msgid), Math.max(20, intervalUs / 1000)));
  }

  private step(): void {
    const dtS = STEP_MS / 1000;
    if (this.target && this.armed) {
      const dNorthM = (this.target.lat - this.lat) * M_PER_DEG_LAT;
      const dEastM = (this.target.lon - this.lon) * M_PER_DEG_LAT * Math.cos((this.lat * Math.PI) / 180);
      const distM = Math.hypot(dNorthM, dEastM);
      const stepM = Math.min(distM, HORIZONTAL_MPS * dtS);
      if (distM > 0) {
        this.lat += ((dNorthM / distM) * stepM) / M_PER_DEG_LAT;
        this.lon += ((dEastM / distM) * stepM) / (M_PER_DEG_LAT * Math.cos((this.lat * Math.PI) / 180));
      }
      const dUp = this.target.altRelM - this.altRelM;
      this.altRelM += Math.sign(dUp) * Math.min(Math.abs(dUp), VERTICAL_MPS * dtS);
      if (distM < 1 && this.mode === 'RTL') this.target = { ...this.target, altRelM: 0 };
    }
    if (this.armed && (this.mode === 'LAND' || this.mode === 'RTL') && this.landed && this.target?.altRelM === 0) {
      this.armed = false;
      this.target = null;
      this.send(common.StatusText, { severity: 6, text: 'Disarming motors' });
    }
  }

  private ack(command: number, result: number, progress = 0): void {
    this.send(common.CommandAck, { command, result, progress, targetSystem: 255, targetComponent: 190 });
  }

  private setMode(mode: ModeName): void {
    this.mode = mode;
    if (mode === 'RTL') this.target = { lat: this.home.lat, lon: this.home.lon, altRelM: Math.max(this.altRelM, 15) };
    if (mode === 'LAND') this.target = { lat: this.lat, lon: this.lon, altRelM: 0 };
    if (mode === 'BRAKE') this.target = { lat: this.lat, lon: this.lon, altRelM: this.altRelM };
  }

  private receive(f: Frame): void {
    if (this.silent || f.sysid !== 255) return;
    switch (f.msgid) {
      case common.SetupSigning.MSG_ID: {
        const s = decodeAs(f, common.SetupSigning);
        if (s.targetSystem !== this.sysid) return;
        this.signingSetups.push({ key: Buffer.from(s.secretKey as number[]).toString('hex'), initialTimestamp: s.initialTimestamp });
        return;
      }
      case common.CommandLong.MSG_ID: {
        const c = decodeAs(f, common.CommandLong);
        return this.command(c.command, [c._param1, c._param2, c._param3, c._param4, c._param5, c._param6, c._param7]);
      }
      case common.CommandInt.MSG_ID: {
        const c = decodeAs(f, common.CommandInt);
        return this.command(c.command, [c._param1, c._param2, c._param3, c._param4, c._param5 / 1e7, c._param6 / 1e7, c._param7]);
      }
      case common.RequestDataStream.MSG_ID: {
        const r = decodeAs(f, common.RequestDataStream);
        if (r.startStop && !this.streaming) {
          this.streaming = true;
          for (const id of [33, 1, 245, 242, 24]) this.setInterval(id, 200_000);
        }
        return;
      }
      case common.MissionCount.MSG_ID:
      case common.MissionItemInt.MSG_ID:
      case common.MissionRequestList.MSG_ID:
      case common.MissionRequestInt.MSG_ID:
      case common.MissionAck.MSG_ID:
      case common.MissionClearAll.MSG_ID:
        if (this.dropMission()) return;
        return this.mission(f);
    }
  }

  private command(command: number, p: number[]): void {
    this.commandsReceived.push(command);
    if (this.failures.has('IgnoreCommands')) return;
    const C = common.MavCmd;
    switch (command) {
      case C.SET_MESSAGE_INTERVAL:
        if (this.failures.has('NoMessageInterval')) return this.ack(command, common.MavResult.UNSUPPORTED);
        this.setInterval(p[0]!, p[1]!);
        return this.ack(command, 0);
      case C.REQUEST_MESSAGE:
        this.telemetry(p[0]!);
        return this.ack(command, 0);
      case C.DO_SET_MODE: {
        const mode = MODE_BY_NUMBER.get(p[1]!);
        if (!mode) return this.ack(command, common.MavResult.DENIED);
        this.setMode(mode);
        return this.ack(command, 0);
      }
      case C.COMPONENT_ARM_DISARM:
        if (p[0] === 1) {
          if (this.failures.has('DenyArm')) {
            this.send(common.StatusText, { severity: 2, text: 'PreArm: Need Position Estimate' });
            return this.ack(command, common.MavResult.FAILED);
          }
          this.armed = true;
        } else {
          if (!this.landed) return this.ack(command, common.MavResult.DENIED);
          this.armed = false;
        }
        return this.ack(command, 0);
      case C.NAV_TAKEOFF:
        if (!this.armed || this.mode !== 'GUIDED') return this.ack(command, common.MavResult.FAILED);
        this.target = { lat: this.lat, lon: this.lon, altRelM: p[6]! };
        if (this.failures.has('TakeoffInProgress')) {
          this.ack(command, common.MavResult.IN_PROGRESS, 10);
          setTimeout(() => this.ack(command, 0, 100), 300);
          return;
        }
        return this.ack(command, 0);
      case C.DO_REPOSITION:
        if (!this.armed || this.mode !== 'GUIDED') return this.ack(command, common.MavResult.DENIED);
        this.target = { lat: p[4]!, lon: p[5]!, altRelM: p[6]! };
        return this.ack(command, 0);
      case C.DO_CHANGE_SPEED:
      case C.MISSION_START:
        if (command === C.MISSION_START) {
          if (!this.armed || this.missions[0]!.length < 2) return this.ack(command, common.MavResult.FAILED);
          this.mode = 'AUTO';
        }
        return this.ack(command, 0);
      default:
        return this.ack(command, common.MavResult.UNSUPPORTED);
    }
  }

  private sendMission<C extends MessageClass>(clazz: C, fields: MessageFields<C>): void {
    if (!this.dropMission()) this.send(clazz, fields);
  }

  private requestItem(): void {
    const up = this.upload!;
    const req = { seq: up.next, targetSystem: 255, targetComponent: 190, missionType: up.type };
    if (this.failures.has('LegacyMissionRequest')) this.sendMission(common.MissionRequest, req);
    else this.sendMission(common.MissionRequestInt, req);
    if (up.timer) clearTimeout(up.timer);
    up.timer = setTimeout(() => this.requestItem(), 120); // the vehicle re-asks when an item does not come
  }

  private mission(f: Frame): void {
    const ack = (type: number, missionType: number) => this.sendMission(common.MissionAck, { type, missionType, targetSystem: 255, targetComponent: 190 });
    switch (f.msgid) {
      case common.MissionCount.MSG_ID: {
        const c = decodeAs(f, common.MissionCount);
        if (this.upload?.timer) clearTimeout(this.upload.timer);
        if (c.count === 0) { this.missions[c.missionType] = []; this.upload = null; return ack(0, c.missionType); }
        this.upload = { type: c.missionType, count: c.count, items: [], next: 0, timer: null };
        return this.requestItem();
      }
      case common.MissionItemInt.MSG_ID: {
        const it = decodeAs(f, common.MissionItemInt);
        const up = this.upload;
        if (!up || it.seq !== up.next || it.missionType !== up.type) {
          // a late duplicate after the upload finished: ArduPilot answers with the final ACK again
          if (!up && it.seq === this.missions[it.missionType]!.length - 1) ack(0, it.missionType);
          return;
        }
        up.items.push({ seq: it.seq, frame: it.frame, command: it.command, current: it.current, autocontinue: it.autocontinue, param1: it.param1, param2: it.param2, param3: it.param3, param4: it.param4, x: it.x, y: it.y, z: it.z });
        up.next++;
        if (up.next < up.count) return this.requestItem();
        if (up.timer) clearTimeout(up.timer);
        this.missions[up.type] = up.items;
        this.upload = null;
        return ack(0, it.missionType);
      }
      case common.MissionRequestList.MSG_ID: {
        const r = decodeAs(f, common.MissionRequestList);
        return this.sendMission(common.MissionCount, { count: this.missions[r.missionType]!.length, missionType: r.missionType, targetSystem: 255, targetComponent: 190 });
      }
      case common.MissionRequestInt.MSG_ID: {
        const r = decodeAs(f, common.MissionRequestInt);
        const it = this.missions[r.missionType]![r.seq];
        if (!it) return ack(13, r.missionType);
        return this.sendMission(common.MissionItemInt, { ...it, missionType: r.missionType, targetSystem: 255, targetComponent: 190 });
      }
      case common.MissionClearAll.MSG_ID: {
        const c = decodeAs(f, common.MissionClearAll);
        if (this.mode === 'AUTO' && c.missionType === 0) return ack(14, 0);
        this.missions[c.missionType] = [];
        return ack(0, c.missionType);
      }
    }
  }
}
