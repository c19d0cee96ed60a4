/**
 * The mission protocol, vehicle side, for MISSION, FENCE and RALLY lists.
 *
 *   Upload (one at a time; a new MISSION_COUNT restarts it):
 *     idle ──COUNT(n=0)──▶ clear, ACK ACCEPTED ──▶ idle
 *     idle ──COUNT(n>0)──▶ receiving: REQUEST_INT(0) (or legacy REQUEST(0))
 *       receiving ──ITEM(seq = expected)──▶ store; expected < n ? REQUEST(expected) : commit, ACK ACCEPTED ──▶ idle
 *       receiving ──ITEM(other seq)──▶ REQUEST(expected) again
 *       receiving ──no item for itemTimeoutMs──▶ REQUEST(expected) again, up to `retries`, then ACK OPERATION_CANCELLED ──▶ idle
 *   Download (stateless, out-of-order requests answered): REQUEST_LIST ──▶ COUNT; REQUEST[_INT](seq) ──▶ ITEM[_INT](seq)
 *   Clear: CLEAR_ALL ──▶ ACK (DENIED for the mission while flying it in AUTO, as ArduPilot)
 *
 * As in ArduPilot, MISSION item 0 is home: an uploaded item 0 is replaced by home, and a download
 * returns the current home as item 0.
 */
import { common } from 'mavlink-mappings';
import type { Clock, TimerHandle } from '../../server/time/clock.ts';
import type { MessageClass } from '../../server/mavlink/definitions.ts';
import { isMissionType, MissionType, type MissionItem, type MissionStore } from '../autopilot/mission-item.ts';

const Result = common.MavMissionResult;
const F = common.MavFrame;

export type Send = (clazz: MessageClass, fields: Record<string, unknown>) => void;

export interface Peer {
  sysid: number;
  compid: number;
}

export interface MissionTransferOptions {
  clock: Clock;
  send: Send;
  store: MissionStore;
  /** Ask for items with the legacy MISSION_REQUEST (id 40), as current ArduCopter does. */
  legacyRequests: () => boolean;
  homeItem: () => MissionItem;
  /** Refuse to clear/replace a list now (e.g. the mission while flying it). */
  mayClear: (type: MissionType) => boolean;
  stored: (type: MissionType) => void;
  itemTimeoutMs?: number;
  retries?: number;
  maxItems?: number;
}

interface Receiving {
  peer: Peer;
  type: MissionType;
  count: number;
  expected: number;
  items: MissionItem[];
  retriesLeft: number;
  timer: TimerHandle | null;
}

export function isGlobalFrame(frame: number): boolean {
  return frame === F.GLOBAL || frame === F.GLOBAL_INT || frame === F.GLOBAL_RELATIVE_ALT || frame === F.GLOBAL_RELATIVE_ALT_INT
    || frame === F.GLOBAL_TERRAIN_ALT || frame === F.GLOBAL_TERRAIN_ALT_INT;
}

export class MissionTransferVehicle {
  private receiving: Receiving | null = null;
  private readonly itemTimeoutMs: number;
  private readonly retries: number;
  private readonly maxItems: number;

  constructor(private readonly o: MissionTransferOptions) {
    this.itemTimeoutMs = o.itemTimeoutMs ?? 1000;
    this.retries = o.retries ?? 5;
    this.maxItems = o.maxItems ?? 700;
  }

  get uploading(): boolean {
    return this.receiving !== null;
  }

  onCount(msg: { count: number; missionType: number }, peer: Peer): void {
    const type = msg.missionType;
    if (!isMissionType(type)) return this.ack(peer, type, Result.UNSUPPORTED);
    this.stopReceiving();
    if (msg.count > this.maxItems) return this.ack(peer, type, Result.NO_SPACE);
    if (msg.count === 0) {
      if (!this.o.mayClear(type)) return this.ack(peer, type, Result.DENIED);
      this.o.store.clear(type);
      this.o.stored(type);
      return this.ack(peer, type, Result.ACCEPTED);
    }
    this.receiving = { peer, type, count: msg.count, expected: 0, items: [], retriesLeft: this.retries, timer: null };
    this.request();
  }

  onItemInt(msg: Record<string, unknown>, peer: Peer): void {
    this.onItem(toItem(msg, true), Number(msg.missionType ?? 0), peer);
  }

  onItemFloat(msg: Record<string, unknown>, peer: Peer): void {
    this.onItem(toItem(msg, false), Number(msg.missionType ?? 0), peer);
  }

  onRequestList(msg: { missionType: number }, peer: Peer): void {
    const type = msg.missionType;
    if (!isMissionType(type)) return this.ack(peer, type, Result.UNSUPPORTED);
    this.o.send(common.MissionCount, { targetSystem: peer.sysid, targetComponent: peer.compid, count: this.list(type).length, missionType: type });
  }

  onRequest(msg: { seq: number; missionType: number }, peer: Peer, asInt: boolean): void {
    const type = msg.missionType;
    if (!isMissionType(type)) return this.ack(peer, type, Result.UNSUPPORTED);
    const item = this.list(type)[msg.seq];
    if (!item) return this.ack(peer, type, Result.INVALID_SEQUENCE);
    const base = {
      targetSystem: peer.sysid, targetComponent: peer.compid, seq: item.seq, frame: item.frame, command: item.command,
      current: item.current, autocontinue: item.autocontinue, param1: item.param1, param2: item.param2, param3: item.param3,
      param4: item.param4, z: item.z, missionType: type,
    };
    if (asInt) this.o.send(common.MissionItemInt, { ...base, x: item.x, y: item.y });
    else {
      const global = isGlobalFrame(item.frame);
      this.o.send(common.MissionItem, { ...base, x: global ? item.x / 1e7 : item.x, y: global ? item.y / 1e7 : item.y });
    }
  }

  onClearAll(msg: { missionType: number }, peer: Peer): void {
    const type = msg.missionType;
    const types: MissionType[] = type === common.MavMissionType.ALL ? [0, 1, 2] : isMissionType(type) ? [type] : [];
    if (types.length === 0) return this.ack(peer, type, Result.UNSUPPORTED);
    if (types.some((t) => !this.o.mayClear(t))) return this.ack(peer, type, Result.DENIED);
    for (const t of types) { this.o.store.clear(t); this.o.stored(t); }
    this.ack(peer, type, Result.ACCEPTED);
  }

  close(): void {
    this.stopReceiving();
  }

  private list(type: MissionType): readonly MissionItem[] {
    const items = this.o.store.items(type);
    if (type !== MissionType.MISSION) return items;
    const home = this.o.homeItem();
    return items.length === 0 ? [home] : [home, ...items.slice(1)];
  }

  private onItem(item: MissionItem, type: number, peer: Peer): void {
    const r = this.receiving;
    if (!r || r.type !== type) return;
    if (item.seq !== r.expected) {
      this.request();
      return;
    }
    r.items.push(item);
    r.expected++;
    r.retriesLeft = this.retries;
    if (r.expected < r.count) return this.request();
    this.stopReceiving();
    const items = r.type === MissionType.MISSION ? [this.o.homeItem(), ...r.items.slice(1)] : r.items;
    this.o.store.replace(r.type, items);
    this.o.stored(r.type);
    this.ack(peer, r.type, Result.ACCEPTED);
  }

  private request(): void {
    const r = this.receiving;
    if (!r) return;
    r.timer?.cancel();
    const fields = { targetSystem: r.peer.sysid, targetComponent: r.peer.compid, seq: r.expected, missionType: r.type };
    this.o.send(this.o.legacyRequests() ? common.MissionRequest : common.MissionRequestInt, fields);
    r.timer = this.o.clock.setTimeout(() => {
      r.timer = null;
      if (this.receiving !== r) return;
      if (r.retriesLeft-- <= 0) {
        this.stopReceiving();
        this.ack(r.peer, r.type, Result.OPERATION_CANCELLED);
        return;
      }
      this.request();
    }, this.itemTimeoutMs);
  }

  private stopReceiving(): void {
    this.receiving?.timer?.cancel();
    this.receiving = null;
  }

  private ack(peer: Peer, type: number, result: number): void {
    this.o.send(common.MissionAck, { targetSystem: peer.sysid, targetComponent: peer.compid, type: result, missionType: type });
  }
}

function toItem(msg: Record<string, unknown>, isInt: boolean): MissionItem {
  const n = (k: string) => Number(msg[k] ?? 0);
  const frame = n('frame');
  const global = isGlobalFrame(frame);
  return {
    seq: n('seq'), frame, command: n('command'), current: n('current'), autocontinue: n('autocontinue'),
    param1: n('param1'), param2: n('param2'), param3: n('param3'), param4: n('param4'),
    x: isInt || !global ? n('x') : Math.round(n('x') * 1e7),
    y: isInt || !global ? n('y') : Math.round(n('y') * 1e7),
    z: n('z'),
  };
}
