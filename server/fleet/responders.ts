/**
 * What every dispatcher (incidents, parking advisories) does with a drone it took, in one place:
 * fly it to the scene round the no-fly zones, audited under the workflow's name; stop sending once
 * the task is over (released, or the drone's own failsafe took it home); send a drone left
 * hovering by an ended task home; let a drone that failed rest before its next task; and on
 * release send it back to the patrol the task paused, or home.
 *
 *   flyTo ──▶ flown (the scene is commanded; the caller watches for on-scene)
 *     ├──▶ ended (released or the task ended on the way: nothing more sent by this flight; home if left hovering)
 *     └──▶ failed (refused, no way, lost, taken by a pilot or its failsafe): the drone rests
 *          REST_AFTER_FAILURE_MS; the caller finds another
 *
 *   release ──▶ the flight cancelled first (it sends nothing more), then back to the patrol or home;
 *               a drone someone else took (another mode than guided: flight-guard.ts) is only released
 */
import type { Logger } from 'pino';
import type { LatLon } from '../planning/index.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../time/clock.ts';
import { airspaceOf } from './airspace-of.ts';
import { auditedAction } from './audited-action.ts';
import { homeboundOnItsOwn, REST_AFTER_FAILURE_MS, unavailability, type Unavailable } from './availability.ts';
import type { Drone } from '../contracts/drone.ts';
import type { Fleet } from './fleet.ts';
import { FlightGuard } from './flight-guard.ts';
import { flyToScene } from './guided-flight.ts';
import type { DroneAction, PatrolBook } from './patrols.ts';
import type { TaskBoard } from './task-board.ts';

/** What a dispatching workflow (incidents, parking advisories) is built from. */
export interface DispatcherDeps {
  fleet: Fleet;
  store: Store;
  clock: Clock;
  logger: Logger;
  tasks: TaskBoard;
  /** Sends a released drone back to the patrol its task paused, or home. */
  patrols: PatrolBook;
  /** Drones held by work the task board does not know (a running overwatch): never dispatched. */
  busyElsewhere?: (droneId: string) => boolean;
}

export interface ResponderOptions extends DispatcherDeps {
  /** The workflow: names its audit actions (`incident:fly`), its log lines and its request key (`incidentId`). */
  kind: 'incident' | 'advisory';
  /** The audit log's operator for the workflow's own commands. */
  operator: string;
  /** After the workflow closed, work in flight ends without touching the store. */
  isClosed: () => boolean;
}

export type FlightOutcome = { kind: 'flown' } | { kind: 'ended' } | { kind: 'failed'; reason: string };

/** One flight to a scene: it ends when the task is released (cancelled) or someone else takes the drone (its guard). */
interface Flight {
  taskId: string;
  cancelled: boolean;
  guard: FlightGuard;
}

export class Responders {
  readonly act: DroneAction;
  /** Why a drone cannot take this workflow's next task (null: it can). */
  readonly unavailable: Unavailable;
  private readonly restingUntilMs = new Map<string, number>();
  private readonly flights = new Map<string, Flight>();
  private readonly idKey: 'incidentId' | 'advisoryId';

  constructor(private readonly o: ResponderOptions) {
    this.idKey = o.kind === 'incident' ? 'incidentId' : 'advisoryId';
    this.act = auditedAction({ fleet: o.fleet, store: o.store, clock: o.clock, operator: o.operator, isClosed: o.isClosed });
    this.unavailable = unavailability({ tasks: o.tasks, patrols: o.patrols, ...(o.busyElsewhere ? { busyElsewhere: o.busyElsewhere } : {}), resting: (d) => (this.restingUntilMs.get(d) ?? 0) > o.clock.nowMs(),
      guidedModeOf: (d) => o.fleet.get(d)?.adapter.guidedMode ?? null });
  }

  /** The drone failed a task (refused a command, lost its link, left the scene): it rests before the next. */
  rest(droneId: string): void {
    this.restingUntilMs.set(droneId, this.o.clock.nowMs() + REST_AFTER_FAILURE_MS);
  }

  /**
   * Going home or landing on its own (its failsafe, a pilot), or taken out of the guided mode by
   * someone else since its flight to the scene began (a pilot's LOITER): it has left the task, and
   * is left alone.
   */
  leftOnItsOwn(drone: Drone): boolean {
    return homeboundOnItsOwn(drone, this.o.patrols) || this.takenFrom(drone.id) !== null;
  }

  /** Flies the drone holding task `taskId` to hover over `scene` at `altitudeM`. */
  async flyTo(taskId: string, droneId: string, scene: LatLon, altitudeM: number): Promise<FlightOutcome> {
    const session = this.o.fleet.get(droneId);
    if (!session) return { kind: 'failed', reason: `no drone ${droneId}` };
    const flight: Flight = {
      taskId, cancelled: false,
      guard: new FlightGuard(session, () => !flight.cancelled && !this.o.isClosed() && this.o.tasks.taskOf(droneId)?.id === taskId,
        () => this.o.patrols.sentHomeByServer(droneId)),
    };
    this.flights.set(droneId, flight);
    try {
      await this.act(droneId, `${this.o.kind}:fly`, { [this.idKey]: taskId, lat: scene.lat, lon: scene.lon, altitudeM },
        (s) => flyToScene(s, scene, altitudeM, airspaceOf(this.o.store.geofences.list()), flight.guard));
      return { kind: 'flown' };
    } catch (err) {
      // released (the drone is sent on by release) or the task ended: not a failure of the drone; a drone
      // left hovering is sent home, unless someone else has it (a pilot took it: never countermanded)
      if (flight.cancelled || this.o.tasks.taskOf(droneId)?.id !== taskId) {
        if (!this.o.isClosed() && !flight.guard.takenBy()) await this.o.patrols.homeIfIdle(droneId, this.actFor(taskId)).catch((e: Error) => this.o.logger.warn({ [this.o.kind]: taskId, droneId, err: e.message }, `${this.o.kind}: sending the idle drone home failed`));
        return { kind: 'ended' };
      }
      const reason = (err as Error).message;
      this.o.logger.warn({ [this.o.kind]: taskId, droneId, err: reason }, `${this.o.kind}: the drone could not go; trying another`);
      this.rest(droneId);
      return { kind: 'failed', reason };
    }
  }

  /**
   * The drone goes back to the patrol the task paused, or home, and is free for the next task; its
   * flight to the scene stops first. A drone someone else took (a pilot) is only released: nothing is sent.
   */
  async release(taskId: string, droneId: string): Promise<void> {
    const flight = this.flights.get(droneId)?.taskId === taskId ? this.flights.get(droneId)! : null;
    const takenBy = flight?.guard.takenBy() ?? null;
    if (flight) flight.cancelled = true;
    try {
      if (takenBy) this.o.patrols.leave(droneId, taskId, `someone else took the drone (${takenBy})`);
      else await this.o.patrols.returnFromTask(droneId, taskId, this.actFor(taskId));
    } catch (err) {
      this.o.logger.warn({ [this.o.kind]: taskId, droneId, err: (err as Error).message }, `${this.o.kind}: release command failed`);
    } finally {
      if (flight && this.flights.get(droneId) === flight) this.flights.delete(droneId);
    }
  }

  /** The mode that took the drone from its current flight to a scene, or null. */
  private takenFrom(droneId: string): string | null {
    const f = this.flights.get(droneId);
    return f && !f.cancelled && this.o.tasks.taskOf(droneId)?.id === f.taskId ? f.guard.takenBy() : null;
  }

  /** The patrol book's actions, audited as this workflow's (`incident:return-home` with the incident's id). */
  private actFor(taskId: string): DroneAction {
    return (droneId, action, request, fn) => this.act(droneId, `${this.o.kind}:${action}`, { [this.idKey]: taskId, ...(request as object) }, fn);
  }
}
