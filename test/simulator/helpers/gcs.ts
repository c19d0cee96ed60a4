/**
 * A tiny ground station for conformance tests: one UDP socket, sysid 255 like QGroundControl and
 * MAVProxy, talking to simulated drones the way a real GCS does (discovers them by HEARTBEAT,
 * asks for streams, sends commands and waits for COMMAND_ACK, runs the mission protocol).
 */
import dgram from 'node:dgram';
import { common, minimal } from 'mavlink-mappings';
import { registry, type MessageClass, type MessageOf } from '../../../server/mavlink/definitions.ts';
import { decodeDatagram, newDecodeCounters } from '../../../server/mavlink/frame-decoder.ts';
import { FrameEncoder } from '../../../server/mavlink/frame-encoder.ts';
import type { Frame } from '../../../server/mavlink/frame.ts';
import { decodeAs } from '../../../server/mavlink/message.ts';

export interface Received {
  frame: Frame;
  atWallMs: number;
}

export interface VehicleView {
  sysid: number;
  address: { host: string; port: number };
  frames: Frame[];
  statusTexts: string[];
}

export interface MissionItemSpec {
  command: number;
  frame?: number;
  param1?: number;
  param2?: number;
  param3?: number;
  param4?: number;
  /** degrees (converted to degE7) */
  lat?: number;
  lon?: number;
  alt?: number;
}

type Waiter = { match: (f: Frame) => boolean; resolve: (f: Frame) => void; reject: (e: Error) => void };

export class TestGcs {
  readonly vehicles = new Map<number, VehicleView>();
  /** Every (sysid, source port) seen, as "sysid@port": sysids may repeat across sockets. */
  readonly endpoints = new Set<string>();
  readonly encoder = new FrameEncoder({ sysid: 255, compid: 190 });
  readonly counters = newDecodeCounters();
  private waiters: Waiter[] = [];
  /** Ask for items with MISSION_REQUEST? Recorded per upload for assertions. */
  lastUploadRequestIds: number[] = [];

  private constructor(private readonly socket: dgram.Socket, readonly port: number) {
    socket.on('message', (data, rinfo) => {
      decodeDatagram(data, (frame) => this.onFrame(frame, rinfo), this.counters);
    });
  }

  static async open(): Promise<TestGcs> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind({ address: '127.0.0.1', port: 0 }, () => resolve()));
    socket.setRecvBufferSize?.(4 * 1024 * 1024);
    return new TestGcs(socket, socket.address().port);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  vehicle(sysid: number): VehicleView {
    const v = this.vehicles.get(sysid);
    if (!v) throw new Error(`vehicle ${sysid} not discovered yet`);
    return v;
  }

  /** Frames of one message kind from a vehicle, decoded. */
  messages<C extends MessageClass>(sysid: number, clazz: C): Array<MessageOf<C>> {
    return this.vehicle(sysid).frames.filter((f) => f.msgid === clazz.MSG_ID && f.compid === 1).map((f) => decodeAs(f, clazz));
  }

  last<C extends MessageClass>(sysid: number, clazz: C): MessageOf<C> | undefined {
    const frames = this.vehicle(sysid).frames;
    for (let i = frames.length - 1; i >= 0; i--) if (frames[i]!.msgid === clazz.MSG_ID && frames[i]!.compid === 1) return decodeAs(frames[i]!, clazz);
    return undefined;
  }

  msgidsSeen(sysid: number): Set<number> {
    return new Set(this.vehicle(sysid).frames.map((f) => f.msgid));
  }

  send<C extends MessageClass>(sysid: number, clazz: C, fields: Record<string, unknown>): void {
    const v = this.vehicle(sysid);
    this.socket.send(this.encoder.encodeDefinition(registry.of(clazz), fields), v.address.port, v.address.host);
  }

  heartbeat(): void {
    for (const v of this.vehicles.values()) {
      this.send(v.sysid, minimal.Heartbeat, {
        type: minimal.MavType.GCS, autopilot: minimal.MavAutopilot.INVALID, baseMode: 0, customMode: 0, systemStatus: minimal.MavState.ACTIVE, mavlinkVersion: 3,
      });
    }
  }

  /** Give up every pending wait: their promises reject, and a retried exchange starts clean. */
  abortWaits(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(new Error('aborted'));
  }

  /** Next frame (from now on) that matches, within a wall-clock deadline. */
  next(match: (f: Frame) => boolean, timeoutMs = 2000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { match, resolve: (f) => { clearTimeout(timer); resolve(f); }, reject: (e) => { clearTimeout(timer); reject(e); } };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error('timed out waiting for a frame'));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  async command(sysid: number, command: number, params: number[] = [], opts: { int?: boolean; frame?: number } = {}): Promise<MessageOf<typeof common.CommandAck>> {
    const p = [...params, 0, 0, 0, 0, 0, 0, 0];
    const ack = this.next((f) => f.sysid === sysid && f.msgid === common.CommandAck.MSG_ID && decodeAs(f, common.CommandAck).command === command);
    if (opts.int) {
      this.send(sysid, common.CommandInt, {
        targetSystem: sysid, targetComponent: 1, command, frame: opts.frame ?? common.MavFrame.GLOBAL_RELATIVE_ALT_INT,
        _param1: p[0], _param2: p[1], _param3: p[2], _param4: p[3], _param5: p[4], _param6: p[5], _param7: p[6],
      });
    } else {
      this.send(sysid, common.CommandLong, {
        targetSystem: sysid, targetComponent: 1, command, confirmation: 0,
        _param1: p[0], _param2: p[1], _param3: p[2], _param4: p[3], _param5: p[4], _param6: p[5], _param7: p[6],
      });
    }
    return decodeAs(await ack, common.CommandAck);
  }

  setMode(sysid: number, mode: number) {
    return this.command(sysid, common.MavCmd.DO_SET_MODE, [1, mode]);
  }

  requestDataStreamAll(sysid: number, rateHz: number): void {
    this.send(sysid, common.RequestDataStream, { targetSystem: sysid, targetComponent: 1, reqStreamId: 0, reqMessageRate: rateHz, startStop: 1 });
  }

  /** Upload as a GCS: COUNT, then answer each MISSION_REQUEST_INT or MISSION_REQUEST with MISSION_ITEM_INT until the ACK. */
  async uploadMission(sysid: number, items: MissionItemSpec[], missionType = 0, timeoutMs = 3000): Promise<number> {
    this.lastUploadRequestIds = [];
    const wire = items.map((it, seq) => ({
      targetSystem: sysid, targetComponent: 1, seq, frame: it.frame ?? common.MavFrame.GLOBAL_RELATIVE_ALT_INT, command: it.command,
      current: 0, autocontinue: 1, param1: it.param1 ?? 0, param2: it.param2 ?? 0, param3: it.param3 ?? 0, param4: it.param4 ?? 0,
      x: Math.round((it.lat ?? 0) * 1e7), y: Math.round((it.lon ?? 0) * 1e7), z: it.alt ?? 0, missionType,
    }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { cleanup(); reject(new Error('mission upload timed out')); }, timeoutMs);
      const waiter: Waiter = {
        match: (f) => {
          if (f.sysid !== sysid) return false;
          if (f.msgid === common.MissionRequestInt.MSG_ID || f.msgid === common.MissionRequest.MSG_ID) {
            this.lastUploadRequestIds.push(f.msgid);
            const seq = decodeAs(f, common.MissionRequestInt).seq;
            const item = wire[seq];
            if (item) this.send(sysid, common.MissionItemInt, item);
            return false;
          }
          return f.msgid === common.MissionAck.MSG_ID;
        },
        resolve: (f) => { cleanup(); resolve(decodeAs(f, common.MissionAck).type); },
        reject: (e) => { cleanup(); reject(e); },
      };
      const cleanup = () => { clearTimeout(timer); this.waiters = this.waiters.filter((w) => w !== waiter); };
      this.waiters.push(waiter);
      this.send(sysid, common.MissionCount, { targetSystem: sysid, targetComponent: 1, count: wire.length, missionType });
    });
  }

  async downloadMission(sysid: number, missionType = 0): Promise<Array<MessageOf<typeof common.MissionItemInt>>> {
    const countFrame = this.next((f) => f.sysid === sysid && f.msgid === common.MissionCount.MSG_ID);
    this.send(sysid, common.MissionRequestList, { targetSystem: sysid, targetComponent: 1, missionType });
    const count = decodeAs(await countFrame, common.MissionCount).count;
    const items = [];
    for (let seq = 0; seq < count; seq++) {
      const itemFrame = this.next((f) => f.sysid === sysid && f.msgid === common.MissionItemInt.MSG_ID);
      this.send(sysid, common.MissionRequestInt, { targetSystem: sysid, targetComponent: 1, seq, missionType });
      items.push(decodeAs(await itemFrame, common.MissionItemInt));
    }
    this.send(sysid, common.MissionAck, { targetSystem: sysid, targetComponent: 1, type: 0, missionType });
    return items;
  }

  private onFrame(frame: Frame, rinfo: dgram.RemoteInfo): void {
    // Frames are views into the datagram: copy what we keep.
    const copy: Frame = { ...frame, payload: Uint8Array.from(frame.payload), raw: Uint8Array.from(frame.raw), signature: null };
    this.endpoints.add(`${frame.sysid}@${rinfo.port}`);
    let v = this.vehicles.get(frame.sysid);
    if (!v) {
      v = { sysid: frame.sysid, address: { host: rinfo.address, port: rinfo.port }, frames: [], statusTexts: [] };
      this.vehicles.set(frame.sysid, v);
    }
    v.frames.push(copy);
    if (copy.msgid === common.StatusText.MSG_ID) v.statusTexts.push(decodeAs(copy, common.StatusText).text);
    for (const w of [...this.waiters]) {
      if (w.match(copy)) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(copy);
      }
    }
  }
}
