/**
 * One parameter at a time, by name: set it and wait for the vehicle's echo, or read it.
 *
 * set:
 *
 *   sendSet ──PARAM_VALUE (same id, value within tolerance)──▶ done(ok)
 *     │ timeout, retries left: resend PARAM_SET
 *     ├──PARAM_VALUE (same id, other value)──▶ done(rejected: the vehicle kept its value)
 *     └──retries used up──▶ done(timeout)
 *
 * read:
 *
 *   sendRead (PARAM_REQUEST_READ, param_id = name, param_index = -1) ──PARAM_VALUE (same id)──▶ done(value)
 *     │ timeout, retries left: resend PARAM_REQUEST_READ
 *     ├──PARAM_VALUE (another id: a set's echo, a list)──▶ ignored, still waiting
 *     └──retries used up──▶ done(timeout)
 *
 * A second read of a name already being read shares the first one's answer (nothing is sent twice).
 * Values travel as float32 (MAV_PARAM_TYPE_REAL32 by default; ArduPilot casts to the real type).
 */
import { common } from 'mavlink-mappings';
import type { Clock, TimerHandle } from '../time/clock.ts';
import type { VehicleChannel } from './channel.ts';
import type { Frame } from './frame.ts';
import { decodeAs } from './message.ts';

const MAV_PARAM_TYPE_REAL32 = 9;

export type ParamSetResult =
  | { kind: 'set'; value: number }
  | { kind: 'rejected'; value: number }
  | { kind: 'timeout'; attempts: number };

export type ParamReadResult =
  | { kind: 'value'; value: number }
  | { kind: 'timeout'; attempts: number };

/** One exchange in flight: `send` transmits its request, `answer` maps the vehicle's PARAM_VALUE to its result. */
interface Pending<R> {
  name: string;
  attempts: number;
  timer: TimerHandle | null;
  send: () => void;
  answer: (value: number) => R;
  resolve: (r: R | { kind: 'timeout'; attempts: number }) => void;
  result: Promise<R | { kind: 'timeout'; attempts: number }>;
}

export class ParamClient {
  private readonly sets = new Map<string, Pending<ParamSetResult>>();
  private readonly reads = new Map<string, Pending<ParamReadResult>>();

  constructor(private readonly opts: { channel: VehicleChannel; clock: Clock; retries?: number; timeoutMs?: number }) {}

  set(name: string, value: number): Promise<ParamSetResult> {
    if (name.length > 16) return Promise.reject(new Error(`parameter name ${name} is longer than 16 characters`));
    // a newer set of the same name replaces the one in flight (which stops resending its value)
    const superseded = this.sets.get(name);
    if (superseded) this.finish(this.sets, superseded, { kind: 'timeout', attempts: 0 });
    const { sysid, compid } = this.opts.channel.target;
    return this.start(this.sets, name,
      () => this.opts.channel.send(common.ParamSet, { targetSystem: sysid, targetComponent: compid, paramId: name, paramValue: value, paramType: MAV_PARAM_TYPE_REAL32 }),
      (echoed) => {
        const same = Math.abs(echoed - Math.fround(value)) <= 1e-6 * Math.max(1, Math.abs(value));
        return same ? { kind: 'set', value: echoed } : { kind: 'rejected', value: echoed };
      });
  }

  /** The vehicle's value of `name` (PARAM_REQUEST_READ by id), or a timeout once the retries are used up. */
  read(name: string): Promise<ParamReadResult> {
    if (name.length > 16) return Promise.reject(new Error(`parameter name ${name} is longer than 16 characters`));
    const running = this.reads.get(name);
    if (running) return running.result;
    const { sysid, compid } = this.opts.channel.target;
    return this.start(this.reads, name,
      () => this.opts.channel.send(common.ParamRequestRead, { targetSystem: sysid, targetComponent: compid, paramId: name, paramIndex: -1 }),
      (value) => ({ kind: 'value', value }));
  }

  /** Feed PARAM_VALUE frames from the vehicle's autopilot here. */
  handle(frame: Frame): void {
    if (frame.msgid !== common.ParamValue.MSG_ID) return;
    const msg = decodeAs(frame, common.ParamValue);
    const set = this.sets.get(msg.paramId);
    if (set) this.finish(this.sets, set, set.answer(msg.paramValue));
    const read = this.reads.get(msg.paramId);
    if (read) this.finish(this.reads, read, read.answer(msg.paramValue));
  }

  private start<R>(table: Map<string, Pending<R>>, name: string, send: () => void, answer: (value: number) => R): Promise<R | { kind: 'timeout'; attempts: number }> {
    let resolve!: Pending<R>['resolve'];
    const result = new Promise<R | { kind: 'timeout'; attempts: number }>((r) => { resolve = r; });
    const p: Pending<R> = { name, attempts: 0, timer: null, send, answer, resolve, result };
    table.set(name, p);
    this.transmit(table, p);
    return result;
  }

  private transmit<R>(table: Map<string, Pending<R>>, p: Pending<R>): void {
    p.attempts++;
    p.send();
    p.timer = this.opts.clock.setTimeout(() => {
      if (p.attempts <= (this.opts.retries ?? 3)) this.transmit(table, p);
      else this.finish(table, p, { kind: 'timeout', attempts: p.attempts });
    }, this.opts.timeoutMs ?? 1000);
  }

  private finish<R>(table: Map<string, Pending<R>>, p: Pending<R>, result: R | { kind: 'timeout'; attempts: number }): void {
    p.timer?.cancel();
    if (table.get(p.name) === p) table.delete(p.name);
    p.resolve(result);
  }
}
