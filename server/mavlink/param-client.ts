/**
 * Sets one parameter and waits for the vehicle to echo it.
 *
 *   sendSet ──PARAM_VALUE (same id, value within tolerance)──▶ done(ok)
 *     │ timeout, retries left: resend PARAM_SET
 *     ├──PARAM_VALUE (same id, other value)──▶ done(rejected: the vehicle kept its value)
 *     └──retries used up──▶ done(timeout)
 *
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

interface Pending {
  name: string;
  value: number;
  attempts: number;
  timer: TimerHandle | null;
  resolve: (r: ParamSetResult) => void;
}

export class ParamClient {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly opts: { channel: VehicleChannel; clock: Clock; retries?: number; timeoutMs?: number }) {}

  set(name: string, value: number): Promise<ParamSetResult> {
    if (name.length > 16) return Promise.reject(new Error(`parameter name ${name} is longer than 16 characters`));
    this.pending.get(name)?.resolve({ kind: 'timeout', attempts: 0 });
    return new Promise((resolve) => {
      const p: Pending = { name, value, attempts: 0, timer: null, resolve };
      this.pending.set(name, p);
      this.transmit(p);
    });
  }

  /** Feed PARAM_VALUE frames from the vehicle's autopilot here. */
  handle(frame: Frame): void {
    if (frame.msgid !== common.ParamValue.MSG_ID) return;
    const msg = decodeAs(frame, common.ParamValue);
    const p = this.pending.get(msg.paramId);
    if (!p) return;
    const same = Math.abs(msg.paramValue - Math.fround(p.value)) <= 1e-6 * Math.max(1, Math.abs(p.value));
    this.finish(p, same ? { kind: 'set', value: msg.paramValue } : { kind: 'rejected', value: msg.paramValue });
  }

  private transmit(p: Pending): void {
    p.attempts++;
    const { sysid, compid } = this.opts.channel.target;
    this.opts.channel.send(common.ParamSet, { targetSystem: sysid, targetComponent: compid, paramId: p.name, paramValue: p.value, paramType: MAV_PARAM_TYPE_REAL32 });
    p.timer = this.opts.clock.setTimeout(() => {
      if (p.attempts <= (this.opts.retries ?? 3)) this.transmit(p);
      else this.finish(p, { kind: 'timeout', attempts: p.attempts });
    }, this.opts.timeoutMs ?? 1000);
  }

  private finish(p: Pending, result: ParamSetResult): void {
    p.timer?.cancel();
    if (this.pending.get(p.name) === p) this.pending.delete(p.name);
    p.resolve(result);
  }
}
