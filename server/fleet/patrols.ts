/**
 * Patrols: a drone flying an assigned plan (POST /api/plans/:id/assign) holds a pausable 'patrol'
 * task on the task board. A dispatcher (an advisory case, an incident) may take it: the patrol is
 * paused at the mission item the drone was flying, and when that task is released the drone goes
 * back to the item it left (round the no-fly zones when the straight way crosses one, then
 * DO_SET_MISSION_CURRENT and AUTO: patrol-return.ts), or home when it has no patrol to go back to,
 * too little battery for it, or no safe way back (round the no-fly zones too, then RTL: home-return.ts).
 *
 *   started ──claim(other)──▶ paused (seq kept) ──returnFromTask──▶ [way back checked, flown] ──▶ flying again from seq
 *      │                                           ├─(no battery, no safe way, resume refused)──▶ released, then home (home-return.ts)
 *      │                                           └─(failsafe, a pilot's takeover or link lost on the way back)──▶ ended, nothing sent
 *      └── disarmed, or left AUTO on the pilot's/autopilot's own decision ──▶ ended
 *
 * A drone already going home or landing when it is released (a failsafe) is left to it.
 */
import type { Logger } from 'pino';
import type { Airspace } from '../planning/index.ts';
import type { PlanRepo } from '../store/store.ts';
import type { Clock } from '../time/clock.ts';
import type { DroneSession } from './drone-session.ts';
import type { Fleet } from './fleet.ts';
import type { HomeReturns } from './home-return.ts';
import { HOMEBOUND_MODES } from './flight-guard.ts';
import { goBackToPatrol, type WayBack } from './patrol-return.ts';
import { partsOf, type PlanPart } from './plan-assignment.ts';
import type { TaskBoard } from './task-board.ts';

export interface PatrolRecord {
  droneId: string;
  planId: string;
  part: string;
  startedAtMs: number;
  /** Set while another task has the drone: the mission item to go back to. */
  pausedAtSeq: number | null;
  /** The drone was seen flying the mission (AUTO) since it was (re)started. */
  seenFlying: boolean;
}

/** Runs one audited action on a drone (the caller's audit identity). */
export type DroneAction = (droneId: string, action: string, request: unknown, fn: (s: DroneSession) => Promise<void>) => Promise<void>;

export type ReturnOutcome = 'resumed' | 'home' | 'stays';

/** Where a drone released from a task goes next: `why` is the paused patrol's end reason when it stays. */
type Onward = { kind: 'resumed' } | { kind: 'home'; reason: string } | { kind: 'stays'; why: string };

export interface PatrolOptions {
  fleet: Fleet;
  tasks: TaskBoard;
  clock: Clock;
  logger: Logger;
  /** The stored plans: the paused part's mission says where the drone flies back to. */
  plans: Pick<PlanRepo, 'get'>;
  /** Today's airspace, which the way back is checked against. */
  airspace: () => Airspace;
  /** Sends drones home round the no-fly zones (home-return.ts), and knows which it sent. */
  home: Pick<HomeReturns, 'send' | 'sentHomeByServer'>;
  /** Below this battery a paused patrol is not resumed: the drone goes home (default 35 %). */
  minResumeBatteryPct?: number;
}

const MISSION_MODES = new Set(['AUTO', 'MISSION']);
/** A patrol whose drone is still on the ground this long after its start never took off: it ends. */
const NEVER_FLEW_MS = 30_000;

export class PatrolBook {
  private readonly patrols = new Map<string, PatrolRecord>();
  private readonly minResumeBatteryPct: number;
  private closed = false;

  constructor(private readonly o: PatrolOptions) {
    this.minResumeBatteryPct = o.minResumeBatteryPct ?? 35;
    o.tasks.onPaused((droneId, task) => {
      const p = this.patrols.get(droneId);
      if (task.kind !== 'patrol' || !p) return;
      p.pausedAtSeq = o.fleet.get(droneId)?.state.mission.current ?? null;
      o.logger.info({ droneId, planId: p.planId, seq: p.pausedAtSeq }, 'patrol paused for another task');
    });
    o.fleet.onChange((session) => this.watch(session));
  }

  /**
   * Holds the drone while its plan is uploaded and started (no dispatcher may take it meanwhile);
   * false when it is busy. Then `started` or `release(droneId, holdId)`.
   */
  hold(droneId: string, holdId: string): boolean {
    if (this.o.tasks.taskOf(droneId)?.kind === 'patrol') this.patrols.delete(droneId);
    return this.o.tasks.replace(droneId, (t) => !t || t.kind === 'patrol', { kind: 'patrol', id: holdId, sinceMs: this.o.clock.nowMs() });
  }

  /** The drone held by `holdId` has started flying a plan part: it patrols until it lands or leaves the mission. */
  started(droneId: string, holdId: string, planId: string, part: string): void {
    const id = `patrol:${planId}:${part}`;
    if (!this.o.tasks.replace(droneId, (t) => t?.id === holdId, { kind: 'patrol', id, sinceMs: this.o.clock.nowMs(), pausable: true })) return;
    this.patrols.set(droneId, { droneId, planId, part, startedAtMs: this.o.clock.nowMs(), pausedAtSeq: null, seenFlying: false });
  }

  get(droneId: string): PatrolRecord | undefined {
    return this.patrols.get(droneId);
  }

  list(): PatrolRecord[] {
    return [...this.patrols.values()];
  }

  /**
   * Releases the drone from `taskId` and sends it on: back to its paused patrol, or home. The way
   * back to the patrol is flown before the release (the drone is still that task's errand); a drone
   * sent home is released first, so the next queued task may take it at once, even on its way home
   * (nothing more is sent home then: home-return.ts). Decide (and fly back) → release → send home.
   */
  async returnFromTask(droneId: string, taskId: string, act: DroneAction): Promise<ReturnOutcome> {
    if (this.o.tasks.taskOf(droneId)?.id !== taskId) return 'stays'; // the drone is no longer this task's: send it nothing
    const patrol = this.pausedPatrolOf(droneId);
    const onward = await this.onward(droneId, taskId, patrol, act);
    if (onward.kind === 'resumed') this.o.tasks.release(droneId, taskId);
    else this.leave(droneId, taskId, onward.kind === 'home' ? 'sent home instead of resuming' : onward.why);
    // released first: on its way home the drone is free, and a dispatcher may take it (home-return.ts)
    if (onward.kind === 'home') await this.o.home.send(droneId, act, onward.reason);
    return onward.kind;
  }

  /**
   * The drone leaves task `taskId` and nothing is sent to it (someone else flies it now: a pilot took
   * it, its failsafe): the task is released and the patrol it paused ends with `why`.
   */
  leave(droneId: string, taskId: string, why: string): void {
    if (this.o.tasks.taskOf(droneId)?.id !== taskId) return;
    const patrol = this.pausedPatrolOf(droneId);
    this.o.tasks.release(droneId, taskId);
    if (patrol) this.end(droneId, why);
  }

  /** Server shutdown: a way back in progress sends nothing more. */
  close(): void {
    this.closed = true;
  }

  private pausedPatrolOf(droneId: string): PatrolRecord | undefined {
    return this.o.tasks.pausedOf(droneId)?.kind === 'patrol' ? this.patrols.get(droneId) : undefined;
  }

  /** Where the released drone goes: back to its patrol (flown here), home (with the reason), or nowhere (why). */
  private async onward(droneId: string, taskId: string, patrol: PatrolRecord | undefined, act: DroneAction): Promise<Onward> {
    const session = this.o.fleet.get(droneId);
    const s = session?.state;
    if (!session || !s?.connected || !s.armed || s.landed) return { kind: 'stays', why: 'the drone is not flying' };
    if (HOMEBOUND_MODES.has(s.mode)) return { kind: 'stays', why: `going home or landing on its own (${s.mode})` };
    if (!patrol) return { kind: 'home', reason: 'its task is over' };
    const battery = s.battery.remainingPct;
    if (battery === null || battery < this.minResumeBatteryPct) return { kind: 'home', reason: `battery ${battery ?? '?'}% < ${this.minResumeBatteryPct}% to resume the patrol` };
    patrol.seenFlying = false;
    let back: WayBack;
    try {
      back = await goBackToPatrol({
        session, planId: patrol.planId, part: patrol.part, seq: Math.max(1, patrol.pausedAtSeq ?? 1),
        missionItems: this.missionOf(patrol), airspace: this.o.airspace(), act,
        // the task being released stays on the board until the drone is back on its patrol (see patrol-return.ts)
        held: () => !this.closed && this.o.tasks.taskOf(droneId)?.id === taskId,
      });
    } catch (err) {
      back = { kind: 'home', reason: `the way back could not be checked: ${(err as Error).message}` };
    }
    if (back.kind === 'resumed') patrol.pausedAtSeq = null;
    if (back.kind === 'stopped') return { kind: 'stays', why: back.reason };
    if (back.kind === 'home') this.o.logger.warn({ droneId, planId: patrol.planId, reason: back.reason }, 'patrol not resumed: sending the drone home');
    return back;
  }

  /** The mission of the plan part the drone patrols, as stored with the plan (null: not found). */
  private missionOf(p: PatrolRecord): PlanPart['missionItems'] | null {
    const plan = this.o.plans.get(p.planId);
    return (plan && partsOf(plan.plan).find((x) => x.part === p.part)?.missionItems) ?? null;
  }

  /**
   * A flight that stopped because its task ended (e.g. closed during take-off) may leave the drone
   * hovering with nothing to do: when it is flying, free and not already homebound, send it home.
   */
  async homeIfIdle(droneId: string, act: DroneAction): Promise<void> {
    const s = this.o.fleet.get(droneId)?.state;
    if (!s?.connected || !s.armed || s.landed || HOMEBOUND_MODES.has(s.mode) || this.o.tasks.taskOf(droneId)) return;
    // already on its way home (its release sent it; the RTL's mode may not be in telemetry yet): not sent twice
    if (this.o.home.sentHomeByServer(droneId)) return;
    await this.o.home.send(droneId, act, 'its task ended during the flight');
  }

  /** Transiting home or in RTL because this server sent it home after a task (not its failsafe, not a pilot). */
  sentHomeByServer(droneId: string): boolean {
    return this.o.home.sentHomeByServer(droneId);
  }

  /** A patrol ends when the drone is disarmed, heads home, or leaves the mission while no task paused it. */
  private watch(session: DroneSession): void {
    const p = this.patrols.get(session.id);
    if (!p || p.pausedAtSeq !== null) return;
    const s = session.state;
    if (this.o.tasks.taskOf(session.id)?.kind !== 'patrol') return;
    if (!s.armed && (p.seenFlying || this.o.clock.nowMs() - p.startedAtMs > NEVER_FLEW_MS)) return this.end(session.id, 'landed');
    if (s.armed && !s.landed && HOMEBOUND_MODES.has(s.mode)) return this.end(session.id, `going home or landing (${s.mode})`);
    if (MISSION_MODES.has(s.mode) && s.armed && !s.landed) p.seenFlying = true;
    else if (p.seenFlying && s.connected) this.end(session.id, `left the mission (${s.mode})`);
  }

  private end(droneId: string, reason: string): void {
    const p = this.patrols.get(droneId);
    if (!p) return;
    this.patrols.delete(droneId);
    const task = this.o.tasks.taskOf(droneId);
    if (task?.kind === 'patrol') this.o.tasks.release(droneId, task.id);
    else if (this.o.tasks.pausedOf(droneId)?.kind === 'patrol') this.o.tasks.release(droneId, this.o.tasks.pausedOf(droneId)!.id);
    this.o.logger.info({ droneId, planId: p.planId, reason }, 'patrol ended');
  }
}
