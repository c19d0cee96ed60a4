/**
 * Sends COMMAND_LONG / COMMAND_INT and waits for the matching COMMAND_ACK.
 *
 *            send                    ACK (final)
 *   queued ───────▶ awaitingAck ───────────────────────────▶ done(accepted | rejected)
 *     ▲  (one per     │   ▲  │ timeout, retries left:
 *     │   kind)       │   └──┘ resend with confirmation + 1
 *     │               │ ACK IN_PROGRESS                ACK (final)
 *     │               └──────────────▶ inProgress ───────────────▶ done
 *     │               │ timeout, no retries left   │ long timeout
 *     │               └────────────────────────────┴─────────────▶ done(timeout)
 *
 * ACKs match by command id (and param1 for REQUEST_MESSAGE / SET_MESSAGE_INTERVAL). One command of a
 * kind is in flight per vehicle; a second one of the same kind waits for the first to finish.
 */
import { common } from 'mavlink-mappings';
import type { Clock, TimerHandle } from '../time/clock.ts';
import type { VehicleChannel } from './channel.ts';
import { mavResultName } from './mav-result.ts';

const MAV_RESULT_ACCEPTED = 0;
const MAV_RESULT_IN_PROGRESS = 5;

export interface CommandRequest {
  command: number;
  /** param1…param7 (COMMAND_LONG); for COMMAND_INT, params[4] and [5] are lat/lon in degrees. */
  params: [number, number, number, number, number, number, number];
  /** Send as COMMAND_INT with this MAV_FRAME (positional commands). */
  intFrame?: number;
}

export type CommandResult =
  | { kind: 'accepted'; mavResult: 'MAV_RESULT_ACCEPTED'; attempts: number }
  | { kind: 'rejected'; mavResult: string; resultCode: number; resultParam2: number; attempts: number }
  | { kind: 'timeout'; attempts: number; lastProgress: number | null }
  | { kind: 'cancelled' };

export interface CommandAck {
  command: number;
  result: number;
  progress: number;
  resultParam2: number;
}

export interface CommandSenderOptions {
  channel: VehicleChannel;
  clock: Clock;
  /** Resends after the first attempt (MAVSDK, QGC: 3). */
  retries?: number;
  timeoutMs?: number;
  /** Wait for the final ACK once the vehicle said IN_PROGRESS. */
  inProgressTimeoutMs?: number;
  onProgress?: (command: number, progressPct: number | null) => void;
}

type State = 'queued' | 'awaitingAck' | 'inProgress' | 'done';

class PendingCommand {
  state: State = 'queued';
  attempts = 0;
  lastProgress: number | null = null;
  timer: TimerHandle | null = null;
  constructor(
    readonly key: string,
    readonly request: CommandRequest,
    readonly resolve: (result: CommandResult) => void,
  ) {}
}

const PARAM1_MATCHED = new Set<number>([common.MavCmd.REQUEST_MESSAGE, common.MavCmd.SET_MESSAGE_INTERVAL]);

function keyOf(command: number, param1: number): string {
  return PARAM1_MATCHED.has(command) ? `${command}:${param1}` : `${command}`;
}

export class CommandSender {
  private readonly inFlight = new Map<string, PendingCommand>();
  private readonly waiting = new Map<string, PendingCommand[]>();
  private readonly retries: number;
  private readonly timeoutMs: number;
  private readonly inProgressTimeoutMs: number;
  /** Resends after a timeout, over the sender's life (an observability counter). */
  retriesSent = 0;

  constructor(private readonly opts: CommandSenderOptions) {
    this.retries = opts.retries ?? 3;
    this.timeoutMs = opts.timeoutMs ?? 1000;
    this.inProgressTimeoutMs = opts.inProgressTimeoutMs ?? 30_000;
  }

  send(request: CommandRequest): Promise<CommandResult> {
    return new Promise((resolve) => {
      const pending = new PendingCommand(keyOf(request.command, request.params[0]), request, resolve);
      if (this.inFlight.has(pending.key)) {
        const queue = this.waiting.get(pending.key) ?? [];
        queue.push(pending);
        this.waiting.set(pending.key, queue);
      } else {
        this.begin(pending);
      }
    });
  }

  /** Feed every COMMAND_ACK from the vehicle's autopilot here. */
  handleAck(ack: CommandAck): void {
    const pending = this.findFor(ack.command);
    if (!pending) return;
    pending.timer?.cancel();
    if (ack.result === MAV_RESULT_IN_PROGRESS) {
      pending.state = 'inProgress';
      pending.lastProgress = ack.progress === 255 ? null : ack.progress;
      this.opts.onProgress?.(ack.command, pending.lastProgress);
      pending.timer = this.opts.clock.setTimeout(() => this.finish(pending, { kind: 'timeout', attempts: pending.attempts, lastProgress: pending.lastProgress }), this.inProgressTimeoutMs);
      return;
    }
    if (ack.result === MAV_RESULT_ACCEPTED) {
      this.finish(pending, { kind: 'accepted', mavResult: 'MAV_RESULT_ACCEPTED', attempts: pending.attempts });
    } else {
      this.finish(pending, { kind: 'rejected', mavResult: mavResultName(ack.result), resultCode: ack.result, resultParam2: ack.resultParam2, attempts: pending.attempts });
    }
  }

  /** Ends every pending command (vehicle gone, server stopping). */
  cancelAll(): void {
    for (const queue of this.waiting.values()) for (const p of queue) p.resolve({ kind: 'cancelled' });
    this.waiting.clear();
    for (const p of [...this.inFlight.values()]) this.finish(p, { kind: 'cancelled' });
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  private findFor(command: number): PendingCommand | undefined {
    // An ACK carries no param1: for param1-matched commands take the oldest in flight of that id.
    const direct = this.inFlight.get(`${command}`);
    if (direct) return direct;
    for (const p of this.inFlight.values()) if (p.request.command === command) return p;
    return undefined;
  }

  private begin(pending: PendingCommand): void {
    this.inFlight.set(pending.key, pending);
    pending.state = 'awaitingAck';
    this.transmit(pending);
  }

  private transmit(pending: PendingCommand): void {
    const { request } = pending;
    const confirmation = pending.attempts;
    pending.attempts++;
    const [p1, p2, p3, p4, p5, p6, p7] = request.params;
    const target = this.opts.channel.target;
    if (request.intFrame !== undefined) {
      this.opts.channel.send(common.CommandInt, {
        targetSystem: target.sysid, targetComponent: target.compid, command: request.command, frame: request.intFrame,
        current: 0, autocontinue: 0, _param1: p1, _param2: p2, _param3: p3, _param4: p4,
        _param5: Math.round(p5 * 1e7), _param6: Math.round(p6 * 1e7), _param7: p7,
      });
    } else {
      this.opts.channel.send(common.CommandLong, {
        targetSystem: target.sysid, targetComponent: target.compid, command: request.command, confirmation: Math.min(confirmation, 255),
        _param1: p1, _param2: p2, _param3: p3, _param4: p4, _param5: p5, _param6: p6, _param7: p7,
      });
    }
    pending.timer = this.opts.clock.setTimeout(() => this.onTimeout(pending), this.timeoutMs);
  }

  private onTimeout(pending: PendingCommand): void {
    if (pending.state !== 'awaitingAck') return;
    if (pending.attempts <= this.retries) {
      this.retriesSent++;
      this.transmit(pending);
    } else {
      this.finish(pending, { kind: 'timeout', attempts: pending.attempts, lastProgress: pending.lastProgress });
    }
  }

  private finish(pending: PendingCommand, result: CommandResult): void {
    if (pending.state === 'done') return;
    pending.state = 'done';
    pending.timer?.cancel();
    this.inFlight.delete(pending.key);
    pending.resolve(result);
    const queue = this.waiting.get(pending.key);
    const next = queue?.shift();
    if (queue && queue.length === 0) this.waiting.delete(pending.key);
    if (next) this.begin(next);
  }
}
