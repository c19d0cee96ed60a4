/**
 * One drone's MAVLink endpoint: a thin layer between its UDP port and its autopilot. It answers
 * what a real ArduCopter answers (commands, mission protocol, parameters, stream requests), sends
 * HEARTBEAT at 1 Hz and STATUSTEXT always, and telemetry only at the rates a ground station asked.
 * Payload components (their own compid and heartbeat) share the endpoint.
 */
import { common, minimal } from 'mavlink-mappings';
import type { MessageClass } from '../../server/mavlink/definitions.ts';
import { decodeDatagram, newDecodeCounters, type DecodeCounters } from '../../server/mavlink/frame-decoder.ts';
import { FrameEncoder } from '../../server/mavlink/frame-encoder.ts';
import type { Frame } from '../../server/mavlink/frame.ts';
import { decodeAs } from '../../server/mavlink/message.ts';
import type { Clock } from '../../server/time/clock.ts';
import { MissionType, type MissionItem } from '../autopilot/mission-item.ts';
import { CopterMode, isCopterMode } from '../autopilot/modes.ts';
import type { PayloadComponent, PayloadContext } from '../payloads/payload.ts';
import type { Prng } from '../prng.ts';
import { handleCommand, type CommandRequest } from './command-handler.ts';
import { LinkConditions } from './link-conditions.ts';
import { MissionTransferVehicle, type Peer } from './mission-transfer.ts';
import { StreamRates, MSG } from './stream-rates.ts';
import { encodeHeartbeat, encodeTelemetry, type TelemetrySource } from './telemetry.ts';
import { UdpPort, type UdpAddress } from './udp-port.ts';

const AUTOPILOT_COMPID = 1;
const HEARTBEAT_INTERVAL_MS = 1000;

export interface VehicleEndpointOptions {
  sysid: number;
  link: UdpAddress;
  clock: Clock;
  source: TelemetrySource;
  rng: Prng;
  /** Ask for mission items with legacy MISSION_REQUEST (as ArduCopter 4.x does) instead of MISSION_REQUEST_INT. */
  legacyMissionRequests: boolean;
  /** Fastest telemetry rate (the world's tick period). */
  minIntervalMs: number;
  payloads?: PayloadComponent[];
}

export class VehicleEndpoint {
  readonly sysid: number;
  readonly link: LinkConditions;
  readonly streams: StreamRates;
  readonly counters: DecodeCounters = newDecodeCounters();
  legacyMissionRequests: boolean;
  address: UdpAddress | null = null;
  private readonly port: UdpPort;
  private readonly encoder: FrameEncoder;
  private readonly missionTransfer: MissionTransferVehicle;
  private readonly payloads: Array<{ component: PayloadComponent; encoder: FrameEncoder; ctx: PayloadContext }>;
  private nextHeartbeatMs = -Infinity;
  private readonly src: TelemetrySource;
  private readonly clock: Clock;

  constructor(o: VehicleEndpointOptions) {
    this.sysid = o.sysid;
    this.src = o.source;
    this.clock = o.clock;
    this.legacyMissionRequests = o.legacyMissionRequests;
    this.link = new LinkConditions(o.rng);
    this.streams = new StreamRates(o.minIntervalMs);
    this.encoder = new FrameEncoder({ sysid: o.sysid, compid: AUTOPILOT_COMPID });
    this.port = new UdpPort(o.link, (data) => this.onDatagram(data), () => this.link.passes(this.clock.nowMs(), 'out'));
    const copter = o.source.copter;
    this.missionTransfer = new MissionTransferVehicle({
      clock: o.clock,
      send: (clazz, fields) => this.sendNow(clazz, fields),
      store: copter.missions,
      legacyRequests: () => this.legacyMissionRequests,
      homeItem: () => this.homeItem(),
      mayClear: (type) => !(type === MissionType.MISSION && copter.mode === CopterMode.AUTO && copter.armed),
      stored: (type) => copter.missionsChanged(type),
    });
    this.payloads = (o.payloads ?? []).map((component) => {
      const encoder = new FrameEncoder({ sysid: o.sysid, compid: component.compid });
      const ctx: PayloadContext = {
        nowMs: () => this.clock.nowMs(),
        send: (clazz, fields) => { this.port.enqueue(encoder.encode(clazz, fields)); },
        statusText: (severity, text) => { this.port.enqueue(encoder.encode(common.StatusText, { severity, text: text.slice(0, 50) })); },
      };
      return { component, encoder, ctx };
    });
  }

  async open(bindHost: string): Promise<UdpAddress> {
    this.address = await this.port.open(bindHost);
    return this.address;
  }

  close(): Promise<void> {
    this.missionTransfer.close();
    return this.port.close();
  }

  get datagramsSent(): number {
    return this.port.datagramsSent;
  }

  // ── outgoing ─────────────────────────────────────────────────────────────────────────────────

  statusText(severity: number, text: string): void {
    this.port.enqueue(this.encoder.encode(common.StatusText, { severity, text: text.slice(0, 50), id: 0, chunkSeq: 0 }));
  }

  missionItemReached(seq: number): void {
    if (this.streams.active) this.port.enqueue(this.encoder.encode(common.MissionItemReached, { seq }));
  }

  missionCurrentChanged(): void {
    if (this.streams.active) this.sendTelemetry(MSG.MISSION_CURRENT);
  }

  homeChanged(): void {
    if (this.streams.active) this.sendTelemetry(MSG.HOME_POSITION);
  }

  /** Called once per world tick after physics: heartbeat, due telemetry, then one flush. */
  tick(nowMs: number): void {
    if (nowMs >= this.nextHeartbeatMs) {
      this.nextHeartbeatMs = nowMs + HEARTBEAT_INTERVAL_MS;
      this.port.enqueue(encodeHeartbeat(this.encoder, this.src.copter));
      for (const p of this.payloads) {
        this.port.enqueue(p.encoder.encode(minimal.Heartbeat, {
          type: p.component.mavType, autopilot: minimal.MavAutopilot.INVALID, baseMode: 0 as minimal.MavModeFlag, customMode: 0,
          systemStatus: minimal.MavState.ACTIVE, mavlinkVersion: 3,
        }));
      }
    }
    for (const p of this.payloads) p.component.tick?.(p.ctx);
    this.streams.forEachDue(nowMs, (msgid) => this.sendTelemetry(msgid));
    this.port.flush();
  }

  private sendTelemetry(msgid: number): boolean {
    const frame = encodeTelemetry(this.encoder, msgid, this.src);
    if (!frame) return false;
    this.port.enqueue(frame);
    return true;
  }

  private sendNow(clazz: MessageClass, fields: Record<string, unknown>): void {
    this.port.enqueue(this.encoder.encode(clazz, fields));
  }

  private homeItem(): MissionItem {
    const home = this.src.copter.home;
    return {
      seq: 0, frame: common.MavFrame.GLOBAL, command: common.MavCmd.NAV_WAYPOINT, current: 0, autocontinue: 1,
      param1: 0, param2: 0, param3: 0, param4: 0,
      x: home ? Math.round(home.latLon.lat * 1e7) : 0, y: home ? Math.round(home.latLon.lon * 1e7) : 0, z: home?.amslM ?? 0,
    };
  }

  // ── incoming ─────────────────────────────────────────────────────────────────────────────────

  private onDatagram(data: Buffer): void {
    if (!this.link.passes(this.clock.nowMs(), 'in')) return;
    decodeDatagram(data, (frame) => this.onFrame(frame), this.counters);
    this.port.flush();
  }

  private onFrame(frame: Frame): void {
    const copter = this.src.copter;
    const peer: Peer = { sysid: frame.sysid, compid: frame.compid };
    const M = common;
    switch (frame.msgid) {
      case minimal.Heartbeat.MSG_ID:
        if (frame.sysid === copter.params.get('SYSID_MYGCS')) copter.gcsHeartbeat();
        return;
      case M.CommandLong.MSG_ID: {
        const m = decodeAs(frame, M.CommandLong);
        if (!this.forUs(m.targetSystem)) return;
        this.command(m.targetComponent, peer, {
          command: m.command, isInt: false, frame: 0, params: [m._param1, m._param2, m._param3, m._param4, m._param5, m._param6, m._param7],
        });
        return;
      }
      case M.CommandInt.MSG_ID: {
        const m = decodeAs(frame, M.CommandInt);
        if (!this.forUs(m.targetSystem)) return;
        this.command(m.targetComponent, peer, {
          command: m.command, isInt: true, frame: m.frame, params: [m._param1, m._param2, m._param3, m._param4, m._param5, m._param6, m._param7],
        });
        return;
      }
      case M.SetPositionTargetGlobalInt.MSG_ID: {
        const m = decodeAs(frame, M.SetPositionTargetGlobalInt);
        if (!this.forUs(m.targetSystem)) return;
        // Position bits (0x7) must be used; velocity/acceleration-only targets are not emulated.
        if ((m.typeMask & 0x7) !== 0) return;
        const homeAmsl = copter.home?.amslM ?? this.src.groundAmslM;
        const F = M.MavFrame;
        const altRel = m.coordinateFrame === F.GLOBAL_INT || m.coordinateFrame === F.GLOBAL ? m.alt - homeAmsl : m.alt;
        copter.guidedGoTo({ lat: m.latInt / 1e7, lon: m.lonInt / 1e7 }, altRel);
        return;
      }
      case M.SetMode.MSG_ID: {
        const m = decodeAs(frame, M.SetMode);
        if (!this.forUs(m.targetSystem)) return;
        if ((m.baseMode & minimal.MavModeFlag.CUSTOM_MODE_ENABLED) && isCopterMode(m.customMode)) copter.setMode(m.customMode);
        return;
      }
      case M.RequestDataStream.MSG_ID: {
        const m = decodeAs(frame, M.RequestDataStream);
        if (!this.forUs(m.targetSystem)) return;
        this.streams.requestDataStream(m.reqStreamId, m.reqMessageRate, m.startStop !== 0, this.clock.nowMs());
        return;
      }
      case M.ParamRequestList.MSG_ID: {
        const m = decodeAs(frame, M.ParamRequestList);
        if (!this.forUs(m.targetSystem)) return;
        for (let i = 0; i < copter.params.count; i++) this.sendParam(i);
        return;
      }
      case M.ParamRequestRead.MSG_ID: {
        const m = decodeAs(frame, M.ParamRequestRead);
        if (!this.forUs(m.targetSystem)) return;
        const entry = m.paramIndex >= 0 ? copter.params.entryAt(m.paramIndex) : copter.params.entryByName(m.paramId);
        if (entry) this.sendParam(entry.index);
        return;
      }
      case M.ParamSet.MSG_ID: {
        const m = decodeAs(frame, M.ParamSet);
        if (!this.forUs(m.targetSystem)) return;
        const entry = copter.params.set(m.paramId, m.paramValue);
        if (entry) this.sendParam(entry.index);
        return;
      }
      case M.MissionCount.MSG_ID: {
        const m = decodeAs(frame, M.MissionCount);
        if (this.forUs(m.targetSystem)) this.missionTransfer.onCount(m, peer);
        return;
      }
      case M.MissionItemInt.MSG_ID: {
        const m = decodeAs(frame, M.MissionItemInt);
        if (this.forUs(m.targetSystem)) this.missionTransfer.onItemInt(m as unknown as Record<string, unknown>, peer);
        return;
      }
      case M.MissionItem.MSG_ID: {
        const m = decodeAs(frame, M.MissionItem);
        if (this.forUs(m.targetSystem)) this.missionTransfer.onItemFloat(m as unknown as Record<string, unknown>, peer);
        return;
      }
      case M.MissionRequestList.MSG_ID: {
        const m = decodeAs(frame, M.MissionRequestList);
        if (this.forUs(m.targetSystem)) this.missionTransfer.onRequestList(m, peer);
        return;
      }
      case M.MissionRequestInt.MSG_ID: {
        const m = decodeAs(frame, M.MissionRequestInt);
        if (this.forUs(m.targetSystem)) this.missionTransfer.onRequest(m, peer, true);
        return;
      }
      case M.MissionRequest.MSG_ID: {
        const m = decodeAs(frame, M.MissionRequest);
        if (this.forUs(m.targetSystem)) this.missionTransfer.onRequest(m, peer, false);
        return;
      }
      case M.MissionClearAll.MSG_ID: {
        const m = decodeAs(frame, M.MissionClearAll);
        if (this.forUs(m.targetSystem)) this.missionTransfer.onClearAll(m, peer);
        return;
      }
      case M.MissionSetCurrent.MSG_ID: {
        const m = decodeAs(frame, M.MissionSetCurrent);
        if (!this.forUs(m.targetSystem)) return;
        copter.setMissionCurrent(m.seq);
        this.sendTelemetry(MSG.MISSION_CURRENT);
        return;
      }
      default: {
        for (const p of this.payloads) p.component.handleFrame?.(frame, p.ctx);
      }
    }
  }

  private forUs(targetSystem: number): boolean {
    return targetSystem === 0 || targetSystem === this.sysid;
  }

  private command(targetComponent: number, peer: Peer, req: CommandRequest): void {
    let result: number;
    const payload = this.payloads.find((p) => p.component.compid === targetComponent);
    if (payload) {
      result = payload.component.command?.({ command: req.command, params: req.params, fromSysid: peer.sysid, fromCompid: peer.compid }, payload.ctx)
        ?? common.MavResult.UNSUPPORTED;
      payload.ctx.send(common.CommandAck, { command: req.command, result, progress: 0, resultParam2: 0, targetSystem: peer.sysid, targetComponent: peer.compid });
      return;
    }
    if (targetComponent !== 0 && targetComponent !== AUTOPILOT_COMPID) return;
    result = handleCommand(req, {
      copter: this.src.copter,
      streams: this.streams,
      nowMs: this.clock.nowMs(),
      groundAmslM: this.src.groundAmslM,
      sendOnce: (msgid) => this.sendTelemetry(msgid),
    });
    this.sendNow(common.CommandAck, { command: req.command, result, progress: 0, resultParam2: 0, targetSystem: peer.sysid, targetComponent: peer.compid });
  }

  private sendParam(index: number): void {
    const params = this.src.copter.params;
    const e = params.entryAt(index);
    if (!e) return;
    this.sendNow(common.ParamValue, { paramId: e.name, paramValue: e.value, paramType: e.type, paramCount: params.count, paramIndex: e.index });
  }
}
