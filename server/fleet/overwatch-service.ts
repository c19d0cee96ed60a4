/**
 * Overwatch runs: one OverwatchRunner per stored overwatch plan, wired to the real fleet. Every
 * action a runner sends to a drone is audited as the system operator `overwatch-runner` (the
 * operator who started the run is audited on the run itself, by the route).
 */
import type { Logger } from 'pino';
import type { MissionItem } from '../contracts/mission.ts';
import { AppError } from '../errors.ts';
import { airframeOf } from '../planning/figures.ts';
import { DEFAULT_HANDOVER_MARGIN_S, type ScheduleEntry, type Station } from '../planning/overwatch.ts';
import type { OverwatchRequest } from '../planning/schemas.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../time/clock.ts';
import type { Fleet } from './fleet.ts';
import type { HomeReturns } from './home-return.ts';
import type { MissionService } from './missions.ts';
import { OverwatchRunner, type RunnerOptions, type RunStatus } from './overwatch-runner.ts';

export const RUNNER_OPERATOR = 'overwatch-runner';

export interface OverwatchServiceOptions {
  fleet: Fleet;
  missions: MissionService;
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Sends drones home round the no-fly zones (home-return.ts). */
  home: Pick<HomeReturns, 'send'>;
}

export type RunTuning = Pick<RunnerOptions, 'tickMs' | 'launchLeadS' | 'maxLaunchFailures' | 'lowBatteryPct' | 'minLaunchBatteryPct' | 'takeoffTimeoutS' | 'leaveGraceS' | 'altToleranceM' | 'extraHoldS'>;

export class OverwatchService {
  private readonly runs = new Map<string, OverwatchRunner>();
  private closed = false;
  private clock: Clock;

  constructor(private readonly o: OverwatchServiceOptions) {
    this.clock = o.clock;
    o.fleet.onEvent((e) => {
      for (const r of this.runs.values()) if (r.running) r.onEvent(e);
    });
  }

  /**
   * The clock the event runs on (default: the server's). A simulation at speedup hands its own
   * simulated clock here, so that the schedule runs at the simulation's pace.
   */
  useClock(clock: Clock): void {
    this.clock = clock;
  }

  start(planId: string, droneIds: string[], opts: { startAt?: string; tuning?: RunTuning } = {}): RunStatus {
    const stored = this.o.store.plans.get(planId);
    if (!stored) throw new AppError('PLAN_NOT_FOUND', `no plan ${planId}`);
    if (stored.kind !== 'overwatch') throw new AppError('BAD_REQUEST', `plan ${planId} is a ${stored.kind} plan: only overwatch plans run`);
    if (this.runs.get(planId)?.running) throw new AppError('DRONE_BUSY', `plan ${planId} is already running: DELETE its run first`);
    for (const id of droneIds) {
      if (!this.o.fleet.get(id)) throw new AppError('DRONE_NOT_FOUND', `no drone ${id}`);
      for (const [other, r] of this.runs) if (r.running && r.status().drones.some((d) => d.droneId === id)) throw new AppError('DRONE_BUSY', `drone ${id} flies in the run of plan ${other}`);
    }
    if (opts.startAt !== undefined && opts.startAt !== 'now' && !Number.isFinite(Date.parse(opts.startAt))) throw new AppError('BAD_REQUEST', 'startAt: an ISO time or "now"');
    const request = stored.request as OverwatchRequest;
    const plan = stored.plan as { stations: Station[]; schedule: ScheduleEntry[]; stationMissions: { stationId: string; missionItems: MissionItem[] }[] };
    const airframe = airframeOf(request.airframe);
    const log = this.o.logger.child({ planId });
    const runner = new OverwatchRunner({
      clock: this.clock,
      fleet: {
        state: (id) => this.o.fleet.get(id)?.state,
        publish: (e) => this.o.fleet.publish(e),
      },
      actions: {
        launch: (droneId, stationId, items) => this.audited(droneId, 'overwatch:launch', { planId, stationId }, async () => {
          const session = this.session(droneId);
          await this.o.missions.upload(session, 'mission', items);
          await this.o.missions.start(session);
        }),
        // home round the no-fly zones, then RTL (home-return.ts): `overwatch:transit-home`, `overwatch:return-home`
        rtl: async (droneId, reason) => {
          await this.o.home.send(droneId, (id, action, request, fn) => this.audited(id, `overwatch:${action}`, { planId, ...(request as object) }, () => fn(this.session(id))), reason);
        },
      },
      plan: {
        planId, stations: plan.stations, schedule: plan.schedule, window: request.window, stationMissions: plan.stationMissions,
        cruiseMps: airframe.cruiseMps, climbMps: airframe.climbMps, swapS: airframe.swapS, handoverMarginS: request.handoverMarginS ?? DEFAULT_HANDOVER_MARGIN_S,
      },
      droneIds,
      ...(opts.startAt !== undefined ? { startAt: opts.startAt } : {}),
      ...opts.tuning,
      onFinished: () => log.info({ status: runner.status().stations.map((s) => ({ stationId: s.stationId, coveredS: s.coveredS, uncoveredS: s.uncoveredS })) }, 'overwatch run over'),
    });
    this.runs.set(planId, runner);
    log.info({ droneIds, startAt: opts.startAt ?? null }, 'overwatch run started');
    runner.start();
    return runner.status();
  }

  /** Is the drone part of a running overwatch (holding, relieving or on its way back)? */
  flies(droneId: string): boolean {
    for (const r of this.runs.values()) if (r.running && r.status().drones.some((d) => d.droneId === droneId)) return true;
    return false;
  }

  status(planId: string): RunStatus {
    const r = this.runs.get(planId);
    if (!r) throw new AppError('NOT_FOUND', `plan ${planId} has no run`);
    return r.status();
  }

  stop(planId: string): RunStatus {
    const r = this.runs.get(planId);
    if (!r) throw new AppError('NOT_FOUND', `plan ${planId} has no run`);
    r.stop();
    return r.status();
  }

  /** Server shutdown: the runs stop deciding; nothing is sent (the drones' missions end on their own). */
  close(): void {
    this.closed = true;
    for (const r of this.runs.values()) r.dispose();
  }

  private session(droneId: string) {
    const s = this.o.fleet.get(droneId);
    if (!s) throw new AppError('DRONE_NOT_FOUND', `no drone ${droneId}`);
    return s;
  }

  private async audited<T>(droneId: string, action: string, request: unknown, run: () => Promise<T>): Promise<T> {
    const audit = this.o.store.audit;
    const id = audit.begin({ at: new Date(this.o.clock.nowMs()).toISOString(), operator: RUNNER_OPERATOR, droneId, action, request });
    try {
      const value = await run();
      if (!this.closed) audit.finish(id, { ok: true });
      return value;
    } catch (err) {
      const e = err instanceof AppError ? { code: err.code, message: err.message, details: err.details } : { code: 'INTERNAL', message: (err as Error).message };
      // after shutdown the store may be closed: work in flight ends without touching it
      if (!this.closed) audit.finish(id, { ok: false, ...e });
      throw err;
    }
  }
}
