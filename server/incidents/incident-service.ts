/**
 * Incident dispatch ("one minute faster"): a reported incident gets the drone(s) that arrive first
 * — from the air or the ground, by flight time along the transit round no-fly zones, with battery
 * enough to get there, watch for `watchS` and come back with the reserve — most urgent incident
 * first. A patrolling drone may be taken (its patrol pauses and resumes afterwards); a drone holding
 * an overwatch station, or on another incident or parking case, never is. The drone flies there,
 * hovers over the scene at the watch height, and stays until an operator closes the incident.
 * The incident logic is the pure reducer in incident.ts; this service carries out its actions.
 */
import { randomUUID } from 'node:crypto';
import type { Drone } from '../contracts/drone.ts';
import { AppError } from '../errors.ts';
import { airspaceOf } from '../fleet/airspace-of.ts';
import { DEFAULT_DISPATCH_PROFILE, rankForDispatch, type Candidate, type DispatchProfile, type Rejection } from '../fleet/dispatcher.ts';
import { distanceM } from '../fleet/distance.ts';
import type { DroneSession } from '../fleet/drone-session.ts';
import { checkAirspace } from '../fleet/plan-assignment.ts';
import { Responders, type DispatcherDeps } from '../fleet/responders.ts';
import { transitLengthM } from '../fleet/transit.ts';
import type { IncidentFilter } from '../store/store.ts';
import type { TimerHandle } from '../time/clock.ts';
import { dronesMissing, reportIncident, stepIncident, type Incident, type IncidentAction, type IncidentEvent, type IncidentOutcome } from './incident.ts';

export const INCIDENT_OPERATOR = 'incident-dispatch';
const RETRY_EVERY_MS = 5000;
/** A drone lost twice on one incident is not sent to it again. */
const MAX_TRIES_PER_DRONE = 2;


export interface IncidentConfig {
  /** Watch height above take-off over the scene (default 40 m). */
  hoverAltitudeM: number;
  /** How long a drone must be able to stay on scene (battery check; default 600 s). */
  watchS: number;
  /** On scene within this horizontal distance (default 25 m). */
  onSceneRadiusM: number;
}

export const DEFAULT_INCIDENT_CONFIG: IncidentConfig = { hoverAltitudeM: 40, watchS: 600, onSceneRadiusM: 25 };

export interface IncidentOptions extends DispatcherDeps {
  config?: Partial<IncidentConfig>;
  profile?: DispatchProfile;
}

export interface ReportInput {
  lat: number;
  lon: number;
  kind: string;
  priority: number;
  note?: string;
  drones?: number;
}

export class IncidentService {
  private readonly open = new Map<string, Incident>();
  private readonly responders: Responders;
  private readonly config: IncidentConfig;
  private readonly profile: DispatchProfile;
  private closed = false;
  private readonly retry: TimerHandle;
  private readonly deadlines = new Set<TimerHandle>();

  constructor(private readonly o: IncidentOptions) {
    this.config = { ...DEFAULT_INCIDENT_CONFIG, ...o.config };
    this.profile = o.profile ?? DEFAULT_DISPATCH_PROFILE;
    this.responders = new Responders({ ...o, kind: 'incident', operator: INCIDENT_OPERATOR, isClosed: () => this.closed });
    for (const i of o.store.incidents.list({ status: 'open', limit: 1000 })) {
      this.open.set(i.id, i);
      // after a restart its drones are still its own: hold them again
      for (const r of i.responders) if (r.state !== 'lost' && r.state !== 'released') o.tasks.claim(r.droneId, { kind: 'incident', id: i.id, sinceMs: o.clock.nowMs() });
    }
    o.fleet.onChange((session) => this.watch(session));
    o.fleet.onEvent((e) => {
      if (e.kind !== 'link-lost' || !e.droneId) return;
      this.responders.rest(e.droneId);
      for (const i of [...this.open.values()]) this.apply(i.id, { kind: 'droneLost', droneId: e.droneId, reason: 'link lost', atMs: this.now() });
    });
    o.tasks.onReleased(() => this.dispatchQueued());
    // drones come free in other ways too (a link regained, a rest after a failure ends)
    this.retry = o.clock.setInterval(() => this.dispatchQueued(), RETRY_EVERY_MS);
  }

  close(): void {
    this.closed = true;
    this.retry.cancel();
    for (const d of this.deadlines) d.cancel();
  }

  report(input: ReportInput, by: string): Incident {
    const { next, actions } = reportIncident({ id: `inc_${randomUUID().slice(0, 8)}`, ...input, by, atMs: this.now() });
    this.open.set(next.id, next);
    this.save(next);
    this.o.logger.info({ incident: next.id, kind: next.kind, priority: next.priority, by }, 'incident reported');
    this.run(next, actions);
    return this.get(next.id)!;
  }

  closeIncident(id: string, outcome: IncidentOutcome, by: string, note?: string): Incident {
    const i = this.get(id);
    if (!i) throw new AppError('INCIDENT_NOT_FOUND', `no incident ${id}`);
    if (i.state === 'released') throw new AppError('INCIDENT_CLOSED', `incident ${id} was already closed (${i.outcome}) by ${i.closedBy}`);
    this.apply(id, { kind: 'close', outcome, by, ...(note ? { note } : {}), atMs: this.now() });
    return this.get(id)!;
  }

  get(id: string): Incident | null {
    return this.open.get(id) ?? this.o.store.incidents.get(id);
  }

  list(filter: IncidentFilter): Incident[] {
    return this.o.store.incidents.list(filter);
  }

  /** Drones free for the next incident: connected, with a position, on no task, holding no overwatch station. */
  idleDrones(): Drone[] {
    return this.o.fleet.list().filter((d) => d.connected && d.position && !this.o.tasks.taskOf(d.id) && !this.responders.unavailable(d));
  }

  get hoverAltitudeM(): number {
    return this.config.hoverAltitudeM;
  }

  /** Who would go to this point now, and why the others would not (the same ranking dispatch uses). */
  rank(lat: number, lon: number): { candidates: Candidate[]; rejected: Rejection[] } {
    const airspace = airspaceOf(this.o.store.geofences.list());
    return rankForDispatch(this.o.fleet.list(), { lat, lon, altitudeM: this.config.hoverAltitudeM, watchS: this.config.watchS },
      this.responders.unavailable, this.profile, transitLengthM(airspace, this.config.hoverAltitudeM));
  }

  private now(): number {
    return this.o.clock.nowMs();
  }

  private apply(id: string, event: IncidentEvent): void {
    if (this.closed) return;
    const i = this.open.get(id);
    if (!i) return;
    const { next, actions } = stepIncident(i, event);
    if (next === i) return;
    if (next.state === 'released') this.open.delete(id);
    else this.open.set(id, next);
    this.save(next);
    this.run(next, actions);
  }

  private save(i: Incident): void {
    this.o.store.incidents.save(i);
    const last = i.steps.at(-1)!;
    this.o.fleet.publish({
      kind: 'incident', ...(last.droneId ? { droneId: last.droneId } : {}), at: last.at, incidentId: i.id, state: i.state, step: last.state,
      incidentKind: i.kind, priority: i.priority, lat: i.lat, lon: i.lon, ...(i.reason ? { reason: i.reason } : {}),
    });
  }

  private run(i: Incident, actions: IncidentAction[]): void {
    for (const a of actions) {
      switch (a.kind) {
        case 'requestDrones': this.dispatchQueued(); break;
        case 'flyTo': {
          void this.flyTo(i.id, a.droneId);
          // a responder that is not there in twice its estimate (plus two minutes) has failed: send another
          const etaS = i.responders.find((r) => r.droneId === a.droneId && r.state !== 'lost')?.etaS ?? 60;
          const deadline = this.o.clock.setTimeout(() => {
            this.deadlines.delete(deadline);
            const r = this.open.get(i.id)?.responders.find((x) => x.droneId === a.droneId && x.state !== 'lost' && x.state !== 'released');
            if (r && r.state !== 'on-scene') this.apply(i.id, { kind: 'droneLost', droneId: a.droneId, reason: `not on scene ${Math.round(2 * etaS + 120)} s after dispatch`, atMs: this.now() });
          }, (2 * etaS + 120) * 1000);
          this.deadlines.add(deadline);
          break;
        }
        case 'release': void this.responders.release(i.id, a.droneId); break;
      }
    }
  }

  /** Most urgent first, then oldest: each incident still short of drones gets the earliest arrivals free. */
  private dispatchQueued(): void {
    if (this.closed) return;
    const waiting = [...this.open.values()].filter((i) => dronesMissing(i) > 0)
      .sort((a, b) => a.priority - b.priority || a.reportedAt.localeCompare(b.reportedAt));
    for (const i of waiting) this.dispatch(i.id);
  }

  private dispatch(id: string): void {
    const i = this.open.get(id);
    if (!i) return;
    const airspace = airspaceOf(this.o.store.geofences.list());
    try {
      checkAirspace([{ lat: i.lat, lon: i.lon, altitudeM: this.config.hoverAltitudeM }], airspace);
    } catch (err) {
      this.apply(id, { kind: 'undispatchable', reason: `no drone may fly there: ${(err as Error).message}`, atMs: this.now() });
      return;
    }
    const { candidates, rejected } = this.rank(i.lat, i.lon);
    let missing = dronesMissing(i);
    for (const cand of candidates) {
      if (missing === 0) return;
      const tries = this.open.get(id)!.responders.filter((r) => r.droneId === cand.droneId);
      if (tries.some((r) => r.state !== 'lost') || tries.length >= MAX_TRIES_PER_DRONE) continue;
      if (!this.o.tasks.claim(cand.droneId, { kind: 'incident', id, sinceMs: this.now() })) continue;
      this.o.logger.info({ incident: id, droneId: cand.droneId, etaS: cand.etaS, airborne: cand.airborne }, 'incident: drone dispatched');
      this.apply(id, { kind: 'droneAssigned', droneId: cand.droneId, etaS: cand.etaS, airborne: cand.airborne, atMs: this.now() });
      missing--;
    }
    if (missing > 0 && dronesMissing(this.open.get(id)!) === dronesMissing(i)) {
      const why = rejected.length ? rejected.map((r) => `${r.droneId}: ${r.reason}`).join('; ') : 'no drones connected';
      this.apply(id, { kind: 'undispatchable', reason: `waiting for a drone (${why})`, atMs: this.now() });
    }
  }

  private async flyTo(id: string, droneId: string): Promise<void> {
    const i = this.open.get(id);
    if (!i) return;
    const flight = await this.responders.flyTo(id, droneId, i, this.config.hoverAltitudeM);
    if (flight.kind === 'flown') this.watch(this.o.fleet.get(droneId)!);
    if (flight.kind === 'failed') this.apply(id, { kind: 'droneLost', droneId, reason: flight.reason, atMs: this.now() });
  }

  /**
   * Telemetry moves responders on: airborne when it has left the ground, on scene when it is there.
   * A responder that heads home or lands on its own (its battery failsafe, a pilot) has left the
   * incident: another drone is sent. Its failsafe is never countermanded.
   */
  private watch(session: DroneSession): void {
    const s = session.state;
    for (const i of [...this.open.values()]) {
      const r = i.responders.find((x) => x.droneId === session.id && (x.state === 'dispatched' || x.state === 'airborne' || x.state === 'on-scene'));
      if (!r || !s.position) continue;
      if (r.state !== 'dispatched' && this.responders.leftOnItsOwn(s)) {
        this.responders.rest(session.id);
        this.apply(i.id, { kind: 'droneLost', droneId: session.id, reason: `left the scene (${s.mode})`, atMs: this.now() });
        continue;
      }
      if (r.state === 'on-scene') continue;
      if (r.state === 'dispatched' && s.armed && !s.landed && s.position.altRelM > 2) this.apply(i.id, { kind: 'droneAirborne', droneId: session.id, atMs: this.now() });
      if (!s.landed && distanceM(s.position, i) <= this.config.onSceneRadiusM && Math.abs(s.position.altRelM - this.config.hoverAltitudeM) < 5) {
        this.apply(i.id, { kind: 'droneOnScene', droneId: session.id, atMs: this.now() });
      }
    }
  }
}
