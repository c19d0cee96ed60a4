/**
 * One vehicle behind one link endpoint: its state, its channel, its command sender and its
 * mission-transfer slot. Frames from its system arrive in `receive`.
 */
import { common, minimal } from 'mavlink-mappings';
import type { Logger } from 'pino';
import type { AutopilotAdapter, ControlState, VehicleControl } from '../autopilots/autopilot.ts';
import type { Drone } from '../contracts/drone.ts';
import { AppError } from '../errors.ts';
import type { VehicleChannel } from '../mavlink/channel.ts';
import { CommandSender, type CommandRequest } from '../mavlink/command-sender.ts';
import { ParamClient } from '../mavlink/param-client.ts';
import type { MessageClass } from '../mavlink/definitions.ts';
import type { FrameEncoder, MessageFields } from '../mavlink/frame-encoder.ts';
import type { Frame } from '../mavlink/frame.ts';
import type { Link } from '../mavlink/links/link.ts';
import { SPEAKER_COMPID, SPEAKER_MAV_TYPE } from '../mavlink/dialects/speaker.ts';
import { decodeAs } from '../mavlink/message.ts';
import type { WorkItem } from '../mavlink/mission-transfer/work-item.ts';
import type { TransferResult } from '../mavlink/mission-transfer/types.ts';
import type { Clock } from '../time/clock.ts';
import { applyMessage, newDroneState, vehicleTypeName } from './drone-state.ts';
import type { DroneEvent } from './events.ts';
import { SequenceTracker } from './sequence-tracker.ts';

const MISSION_MSGIDS = new Set<number>([
  common.MissionRequest.MSG_ID, common.MissionRequestInt.MSG_ID, common.MissionItemInt.MSG_ID, common.MissionItem.MSG_ID,
  common.MissionAck.MSG_ID, common.MissionCount.MSG_ID,
]);
const REASON_GRACE_MS = 300;
const RECENT_TEXTS = 20;

export interface SessionOptions {
  id: string;
  key: string;
  link: Link;
  remote: string;
  sysid: number;
  compid: number;
  type: number;
  adapter: AutopilotAdapter;
  encoder: FrameEncoder;
  clock: Clock;
  logger: Logger;
  commandRetries: number;
  commandTimeoutMs: number;
}

/** A frame from a component other than the autopilot, with its arrival time. */
export type ComponentFrameListener = (frame: Frame, nowMs: number) => void;

interface RecentText { atMs: number; severity: number; text: string }

export class DroneSession {
  readonly id: string;
  readonly key: string;
  readonly state: Drone;
  readonly adapter: AutopilotAdapter;
  readonly link: Link;
  readonly remote: string;
  readonly commands: CommandSender;
  readonly params: ParamClient;
  readonly channel: VehicleChannel;
  readonly control: VehicleControl;
  readonly logger: Logger;
  lastHeartbeatMs: number;
  private readonly clock: Clock;
  private readonly encoder: FrameEncoder;
  private readonly seq = new SequenceTracker();
  private readonly texts: RecentText[] = [];
  private readonly changeListeners = new Set<() => void>();
  /** Ends each pending `until` (the session closes). */
  private readonly waits = new Set<() => void>();
  private readonly componentTypes = new Map<number, number>();
  private readonly componentListeners = new Set<ComponentFrameListener>();
  private transfer: WorkItem<unknown> | null = null;
  /** The RTL height as read from the vehicle (or null), once asked; dropped when the link is regained. */
  private returnAltitude: Promise<number | null> | null = null;

  constructor(opts: SessionOptions) {
    this.id = opts.id;
    this.key = opts.key;
    this.adapter = opts.adapter;
    this.link = opts.link;
    this.remote = opts.remote;
    this.clock = opts.clock;
    this.encoder = opts.encoder;
    this.logger = opts.logger;
    this.lastHeartbeatMs = opts.clock.nowMs();
    this.state = newDroneState({ id: opts.id, sysid: opts.sysid, compid: opts.compid, autopilot: opts.adapter, type: opts.type, linkId: opts.link.id, remote: opts.remote, nowMs: this.lastHeartbeatMs });
    this.componentTypes.set(opts.compid, opts.type);
    this.state.components = [{ compid: opts.compid, type: vehicleTypeName(opts.type) }];
    const target = { sysid: opts.sysid, compid: opts.compid };
    this.channel = {
      target,
      send: <C extends MessageClass>(clazz: C, fields: MessageFields<C>) => this.link.send(this.remote, this.encoder.encode(clazz, fields)),
    };
    this.commands = new CommandSender({ channel: this.channel, clock: opts.clock, retries: opts.commandRetries, timeoutMs: opts.commandTimeoutMs });
    this.params = new ParamClient({ channel: this.channel, clock: opts.clock });
    this.control = this.makeControl();
  }

  /** A frame from this drone's system (any component). Returns true when the state changed. */
  receive(frame: Frame, nowMs: number, events: DroneEvent[]): boolean {
    this.seq.observe(frame.compid, frame.seq);
    const link = this.state.link;
    link.framesIn++;
    if (frame.compid !== this.state.compid) return this.receiveFromComponent(frame, nowMs);
    if (frame.msgid === minimal.Heartbeat.MSG_ID) {
      this.lastHeartbeatMs = nowMs;
      link.packetLossPct = Math.round(this.seq.lossPct * 10) / 10;
    } else if (frame.msgid === common.CommandAck.MSG_ID) {
      const ack = decodeAs(frame, common.CommandAck);
      this.commands.handleAck({ command: ack.command, result: ack.result, progress: ack.progress, resultParam2: ack.resultParam2 });
      return false;
    } else if (frame.msgid === common.ParamValue.MSG_ID) {
      this.params.handle(frame);
      return false;
    } else if (MISSION_MSGIDS.has(frame.msgid)) {
      this.transfer?.handle(frame);
      return false;
    } else if (frame.msgid === common.StatusText.MSG_ID) {
      const t = decodeAs(frame, common.StatusText);
      this.texts.push({ atMs: nowMs, severity: t.severity, text: t.text });
      if (this.texts.length > RECENT_TEXTS) this.texts.shift();
    }
    const changed = applyMessage(this.state, frame, this.adapter, nowMs, events);
    if (changed) for (const listener of [...this.changeListeners]) listener();
    return changed;
  }

  /** Run one mission-transfer work item; only one runs at a time per drone. */
  async runTransfer<T>(item: WorkItem<T>): Promise<TransferResult<T>> {
    if (this.transfer && !this.transfer.finished) return { ok: false, failure: { kind: 'busy' } };
    this.transfer = item as WorkItem<unknown>;
    item.start();
    try {
      return await item.result;
    } finally {
      if (this.transfer === (item as WorkItem<unknown>)) this.transfer = null;
    }
  }

  /**
   * Frames from this system's other components (payloads such as the loudspeaker), HEARTBEATs
   * included, as they arrive. Returns the function that unsubscribes.
   */
  onComponentFrame(listener: ComponentFrameListener): () => void {
    this.componentListeners.add(listener);
    return () => { this.componentListeners.delete(listener); };
  }

  /**
   * The height above home, in metres, the vehicle's RTL climbs to before it flies home: read from the
   * parameter its adapter names (`returnAltitude`) the first time it is asked, then remembered until the
   * link is regained. Null, with the reason logged, when the adapter names none or the vehicle did not
   * answer (or answered nonsense); never rejects.
   */
  returnAltitudeM(): Promise<number | null> {
    this.returnAltitude ??= this.readReturnAltitudeM();
    return this.returnAltitude;
  }

  /** The link is back after a loss: the vehicle may have been reconfigured or rebooted meanwhile, so its parameters are read again when next asked. */
  linkRegained(): void {
    this.returnAltitude = null;
  }

  private async readReturnAltitudeM(): Promise<number | null> {
    const where = this.adapter.returnAltitude;
    if (!where) {
      this.logger.info({ autopilot: this.adapter.name }, 'RTL height not read: this autopilot names no parameter for it');
      return null;
    }
    const result = await this.params.read(where.param).catch((err: Error) => ({ kind: 'error' as const, message: err.message }));
    if (result.kind !== 'value') {
      const why = result.kind === 'timeout' ? `no answer after ${result.attempts} attempts` : result.message;
      this.logger.warn({ param: where.param, why }, 'RTL height not read');
      return null;
    }
    const metres = Math.round(result.value * where.metresPerUnit * 100) / 100;
    if (!Number.isFinite(metres) || metres < 0) {
      this.logger.warn({ param: where.param, value: result.value }, 'RTL height not read: the vehicle\'s value is not a height');
      return null;
    }
    this.logger.info({ param: where.param, value: result.value, rtlAltitudeM: metres }, 'RTL height read');
    return metres;
  }

  /** The session ends: commands in flight are cancelled and every wait (`until`) fails with LINK_LOST at once. */
  close(): void {
    this.commands.cancelAll();
    this.transfer?.cancel();
    for (const end of [...this.waits]) end();
  }

  private receiveFromComponent(frame: Frame, nowMs: number): boolean {
    for (const listener of this.componentListeners) listener(frame, nowMs);
    if (frame.msgid !== minimal.Heartbeat.MSG_ID) return false;
    const hb = decodeAs(frame, minimal.Heartbeat);
    if (this.componentTypes.get(frame.compid) === hb.type) return false;
    this.componentTypes.set(frame.compid, hb.type);
    this.state.components = [...this.componentTypes].map(([compid, type]) => ({ compid, type: componentTypeName(type, compid) }));
    return true;
  }

  /** The vehicle's latest STATUSTEXT since `sinceMs`, waiting briefly for one that follows the ACK. */
  private async reasonSince(sinceMs: number): Promise<string | null> {
    const find = () => [...this.texts].reverse().find((t) => t.atMs >= sinceMs)?.text ?? null;
    const now = find();
    if (now) return now;
    await new Promise<void>((resolve) => {
      const timer = this.clock.setTimeout(() => { this.changeListeners.delete(check); resolve(); }, REASON_GRACE_MS);
      const check = () => { if (find()) { timer.cancel(); this.changeListeners.delete(check); resolve(); } };
      this.changeListeners.add(check);
    });
    return find();
  }

  private makeControl(): VehicleControl {
    const controlState = (): ControlState => ({
      armed: this.state.armed, landed: this.state.landed, mode: this.state.mode, homeAltMslM: this.state.home?.altMslM ?? null,
      altRelM: this.state.position?.altRelM ?? null,
    });
    return {
      state: controlState,
      send: (clazz, fields) => this.channel.send(clazz, fields),
      command: (label, request) => this.command(label, request),
      setParam: async (name, value) => {
        this.logger.info({ param: name, value }, 'parameter set');
        const result = await this.params.set(name, value);
        if (result.kind === 'rejected') throw new AppError('COMMAND_DENIED', `${name}: the drone kept ${result.value} instead of ${value}`, { param: name, value: result.value });
        if (result.kind === 'timeout') throw new AppError('COMMAND_TIMEOUT', `${name}: no answer from the drone after ${result.attempts} attempts`, { param: name, attempts: result.attempts });
      },
      waitFor: (predicate, timeoutMs, failure) => this.until(() => predicate(controlState()), timeoutMs, failure),
    };
  }

  /** Resolves once `predicate` holds for the drone's state (checked now and at every change); COMMAND_TIMEOUT after `timeoutMs`. */
  until(predicate: (state: Drone) => boolean, timeoutMs: number, failure: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (predicate(this.state)) return resolve();
      const done = () => {
        timer.cancel();
        this.changeListeners.delete(check);
        this.waits.delete(end);
      };
      const timer = this.clock.setTimeout(() => {
        done();
        reject(new AppError('COMMAND_TIMEOUT', failure, { timeoutMs }));
      }, timeoutMs);
      const check = () => {
        if (!predicate(this.state)) return;
        done();
        resolve();
      };
      const end = () => {
        done();
        reject(new AppError('LINK_LOST', `${failure}: the drone's session ended`));
      };
      this.changeListeners.add(check);
      this.waits.add(end);
    });
  }

  private async command(label: string, request: CommandRequest): Promise<void> {
    const startedMs = this.clock.nowMs();
    const mavCommand = `MAV_CMD_${common.MavCmd[request.command] ?? request.command}`;
    this.logger.info({ command: label, mavCommand, params: request.params }, 'command sent');
    const result = await this.commands.send(request);
    this.logger.info({ command: label, mavCommand, result }, 'command result');
    switch (result.kind) {
      case 'accepted':
        return;
      case 'rejected': {
        const reason = await this.reasonSince(startedMs);
        throw new AppError('COMMAND_DENIED', `${label}: the drone refused (${result.mavResult})${reason ? `: ${reason}` : ''}`, {
          command: label, mavCommand, mavResult: result.mavResult, reason,
        });
      }
      case 'timeout':
        throw new AppError('COMMAND_TIMEOUT', `${label}: no answer from the drone after ${result.attempts} attempts`, { command: label, mavCommand, attempts: result.attempts });
      case 'cancelled':
        throw new AppError('LINK_LOST', `${label}: cancelled, the drone's session ended`, { command: label, mavCommand });
    }
  }
}

const COMPONENT_TYPES: Record<number, string> = { 6: 'gcs', 18: 'onboard-controller', 26: 'gimbal', 30: 'camera', 27: 'adsb', 2: 'quadrotor' };

function componentTypeName(type: number, compid?: number): string {
  if (compid === SPEAKER_COMPID && type === SPEAKER_MAV_TYPE) return 'loudspeaker';
  return COMPONENT_TYPES[type] ?? vehicleTypeName(type);
}
