/**
 * The shared frame of a mission-transfer work item: one exchange with one vehicle, a timer with a
 * retry count, and a single exit `finish(result)`. Upload, Download and Clear supply the steps.
 */
import type { Clock, TimerHandle } from '../../time/clock.ts';
import type { VehicleChannel } from '../channel.ts';
import type { Frame } from '../frame.ts';
import { DEFAULT_TIMEOUTS, MISSION_TYPE_CODE, type MissionType, type TransferFailure, type TransferResult, type TransferTimeouts } from './types.ts';

export interface WorkItemOptions {
  channel: VehicleChannel;
  clock: Clock;
  missionType: MissionType;
  timeouts?: Partial<TransferTimeouts>;
}

export abstract class WorkItem<T> {
  protected readonly channel: VehicleChannel;
  protected readonly clock: Clock;
  protected readonly missionType: MissionType;
  protected readonly missionTypeCode: number;
  protected readonly timeouts: TransferTimeouts;
  private timer: TimerHandle | null = null;
  private retriesLeft: number;
  private done = false;
  private resolve!: (r: TransferResult<T>) => void;
  readonly result: Promise<TransferResult<T>>;
  /** Resends over the item's life (observability). */
  resends = 0;

  constructor(opts: WorkItemOptions) {
    this.channel = opts.channel;
    this.clock = opts.clock;
    this.missionType = opts.missionType;
    this.missionTypeCode = MISSION_TYPE_CODE[opts.missionType];
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    this.retriesLeft = this.timeouts.retries;
    this.result = new Promise((r) => { this.resolve = r; });
  }

  abstract start(): void;
  /** Every MISSION_* frame from the vehicle's autopilot goes here while the item runs. */
  abstract handle(frame: Frame): void;
  /** What to resend when the timer runs out. */
  protected abstract onTimeout(): void;
  /** The current step's name, for the timeout report. */
  protected abstract stepName(): string;

  get finished(): boolean {
    return this.done;
  }

  cancel(): void {
    this.finish({ ok: false, failure: { kind: 'cancelled' } });
  }

  protected get target() {
    return { targetSystem: this.channel.target.sysid, targetComponent: this.channel.target.compid, missionType: this.missionTypeCode };
  }

  /** (Re)arm the timer; `fresh` restores the retry budget because the vehicle made progress. */
  protected arm(timeoutMs: number, fresh: boolean): void {
    if (fresh) this.retriesLeft = this.timeouts.retries;
    this.timer?.cancel();
    this.timer = this.clock.setTimeout(() => this.expire(), timeoutMs);
  }

  protected succeed(value: T): void {
    this.finish({ ok: true, value });
  }

  protected fail(failure: TransferFailure): void {
    this.finish({ ok: false, failure });
  }

  private expire(): void {
    if (this.done) return;
    if (this.retriesLeft <= 0) {
      this.fail({ kind: 'timeout', step: this.stepName(), attempts: this.timeouts.retries + 1 });
      return;
    }
    this.retriesLeft--;
    this.resends++;
    this.onTimeout();
  }

  private finish(result: TransferResult<T>): void {
    if (this.done) return;
    this.done = true;
    this.timer?.cancel();
    this.resolve(result);
  }
}
