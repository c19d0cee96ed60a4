/**
 * The parking-advisory loop: sightings → dwell per zone → an advisory case per overstay → a drone
 * (earliest arrival, battery enough) flies to hover near the vehicle → the loudspeaker says the
 * zone's advisory in zh-CN, then English → wait for the vehicle to leave → repeat or escalate →
 * the drone is released: back to the patrol it was taken from, or home. The case logic is the pure state machine in advisory-case.ts;
 * this service carries out its actions with the fleet, the speaker and the injected clock.
 */
import { randomUUID } from 'node:crypto';
import type { Observation, Zone } from '../contracts/zone.ts';
import { airspaceOf } from '../fleet/airspace-of.ts';
import { DEFAULT_DISPATCH_PROFILE, distanceM, rankForDispatch, type DispatchProfile } from '../fleet/dispatcher.ts';
import type { DroneSession } from '../fleet/drone-session.ts';
import { transitLengthM } from '../fleet/transit.ts';
import { Responders, type DispatcherDeps } from '../fleet/responders.ts';
import type { TimerHandle } from '../time/clock.ts';
import { FINAL_STATES, openCase, stepCase, type AdvisoryCase, type CaseAction, type CaseEvent } from './advisory-case.ts';
import { DwellTracker, type DwellUpdate } from './dwell-tracker.ts';

/** What the loop needs of the broadcast service (BroadcastService fits). */
export interface AdvisoryBroadcaster {
  broadcast(session: DroneSession, input: { template: string; params: Record<string, string | number>; lang: 'zh-CN' | 'en'; target?: { lat: number; lon: number } }, operator: string): {
    finished: Promise<{ state: string; reason?: string | null }>;
  };
}

export interface AdvisoryOptions extends DispatcherDeps {
  broadcaster: AdvisoryBroadcaster;
  /** Broadcasts before the case goes to a ground unit (default 2). */
  maxBroadcasts?: number;
  /** How long to wait for the vehicle to leave after each broadcast (default 60 s). */
  verifyS?: number;
  /** Hover height above take-off near the vehicle (default 25 m). */
  hoverAltitudeM?: number;
  /** On scene within this horizontal distance of the vehicle (default 20 m). */
  onSceneRadiusM?: number;
  /** A vehicle not seen for this long has gone (default 10 min). */
  forgetAfterS?: number;
  profile?: DispatchProfile;
}

export const ADVISORY_OPERATOR = 'advisory-loop';

const TEMPLATE_OF_ZONE: Record<Zone['kind'], string> = {
  'temporary-stop': 'parking-advisory',
  'no-parking': 'no-parking',
  'fire-lane': 'keep-lane-clear',
};

export class AdvisoryService {
  private readonly dwell: DwellTracker;
  private readonly open = new Map<string, AdvisoryCase>();
  private readonly verifyTimers = new Map<string, TimerHandle>();
  /** After close, work still in flight (a broadcast, a flight) ends without touching the store. */
  private closed = false;
  private readonly timers: TimerHandle[] = [];
  private readonly responders: Responders;
  private readonly o: Required<Omit<AdvisoryOptions, 'profile' | 'busyElsewhere'>> & { profile: DispatchProfile; busyElsewhere: (droneId: string) => boolean };

  constructor(opts: AdvisoryOptions) {
    this.o = { maxBroadcasts: 2, verifyS: 60, hoverAltitudeM: 25, onSceneRadiusM: 20, forgetAfterS: 600, profile: DEFAULT_DISPATCH_PROFILE, busyElsewhere: () => false, ...opts };
    this.responders = new Responders({ ...this.o, kind: 'advisory', operator: ADVISORY_OPERATOR, isClosed: () => this.closed });
    this.dwell = new DwellTracker(this.zones());
    for (const c of opts.store.advisories.list({ limit: 1000 })) if (!FINAL_STATES.has(c.state)) this.open.set(c.id, c);
    opts.fleet.onChange((session) => this.checkOnScene(session));
    opts.fleet.onEvent((e) => {
      if (e.kind !== 'link-lost') return;
      if (e.droneId) this.responders.rest(e.droneId);
      for (const c of this.open.values()) if (c.droneId === e.droneId) this.apply(c.id, { kind: 'droneLost', reason: 'link lost', atMs: this.now() });
    });
    opts.tasks.onReleased(() => this.dispatchQueued());
    this.timers.push(opts.clock.setInterval(() => this.housekeeping(), 5000));
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) t.cancel();
    for (const t of this.verifyTimers.values()) t.cancel();
  }

  zonesChanged(): void {
    this.dwell.setZones(this.zones());
  }

  /** A batch of sightings from video analytics (or a drone's detector). */
  ingest(observations: Observation[]): { accepted: number; stale: number; opened: string[] } {
    const update = this.dwell.ingest(observations.map((o) => ({ trackId: o.trackId, lat: o.lat, lon: o.lon, atMs: Date.parse(o.at), ...(o.confidence !== undefined ? { confidence: o.confidence } : {}) })));
    for (const o of observations) {
      for (const c of this.open.values()) if (c.trackId === o.trackId) this.apply(c.id, { kind: 'vehicleMoved', lat: o.lat, lon: o.lon, atMs: this.now() });
    }
    const opened = this.handleDwell(update);
    return { accepted: observations.length, stale: update.stale, opened };
  }

  list(filter: { state?: string; limit?: number } = {}): AdvisoryCase[] {
    return this.o.store.advisories.list(filter);
  }

  private zones() {
    return this.o.store.zones.list().map((z) => ({ id: z.id, geometry: z.geometry as import('geojson').Polygon, maxDwellS: z.maxDwellS }));
  }

  private now(): number {
    return this.o.clock.nowMs();
  }

  private handleDwell(update: DwellUpdate): string[] {
    const opened: string[] = [];
    for (const dep of update.departures) {
      for (const c of this.open.values()) if (c.trackId === dep.trackId && c.zoneId === dep.zoneId) this.apply(c.id, { kind: 'vehicleLeft', atMs: this.now() });
    }
    for (const o of update.overstays) {
      if ([...this.open.values()].some((c) => c.trackId === o.trackId && c.zoneId === o.zoneId)) continue;
      const { next, actions } = openCase({ id: `adv_${randomUUID().slice(0, 8)}`, zoneId: o.zoneId, trackId: o.trackId, lat: o.lat, lon: o.lon, maxBroadcasts: this.o.maxBroadcasts, atMs: this.now() });
      this.open.set(next.id, next);
      this.save(next);
      this.o.logger.info({ advisory: next.id, trackId: o.trackId, zoneId: o.zoneId, dwellS: o.dwellS }, 'overstay: advisory case opened');
      opened.push(next.id);
      this.run(next, actions);
    }
    return opened;
  }

  private apply(id: string, event: CaseEvent): void {
    if (this.closed) return;
    const c = this.open.get(id);
    if (!c) return;
    const { next, actions } = stepCase(c, event);
    if (next === c) return;
    if (FINAL_STATES.has(next.state)) {
      this.open.delete(id);
      this.verifyTimers.get(id)?.cancel();
    } else {
      this.open.set(id, next);
    }
    this.save(next);
    this.run(next, actions);
  }

  private save(c: AdvisoryCase): void {
    this.o.store.advisories.save(c);
    const last = c.steps.at(-1)!;
    this.o.fleet.publish({ kind: 'advisory', ...(c.droneId ? { droneId: c.droneId } : {}), at: last.at, advisoryId: c.id, state: c.state, zoneId: c.zoneId, trackId: c.trackId, ...(c.reason ? { reason: c.reason } : {}) });
  }

  private run(c: AdvisoryCase, actions: CaseAction[]): void {
    for (const a of actions) {
      switch (a.kind) {
        case 'requestDrone': this.dispatch(c.id); break;
        case 'flyTo': void this.flyTo(c.id, a.droneId, a.lat, a.lon); break;
        case 'broadcast': void this.broadcast(c.id, a.droneId); break;
        case 'startVerifyTimer':
          this.verifyTimers.get(c.id)?.cancel();
          this.verifyTimers.set(c.id, this.o.clock.setTimeout(() => this.apply(c.id, { kind: 'verifyTimeout', atMs: this.now() }), this.o.verifyS * 1000));
          break;
        case 'release': void this.responders.release(c.id, a.droneId); break;
        case 'escalate':
          this.o.logger.warn({ advisory: c.id, reason: a.reason }, 'advisory escalated to a ground unit');
          break;
      }
    }
  }

  /** Give the case the drone that arrives first; the case waits in the queue when none is free. */
  private dispatch(id: string): void {
    const c = this.open.get(id);
    if (!c || c.state !== 'detected') return;
    const { candidates } = rankForDispatch(this.o.fleet.list(), { lat: c.lat, lon: c.lon, altitudeM: this.o.hoverAltitudeM, watchS: this.o.verifyS * this.o.maxBroadcasts + 60 }, this.responders.unavailable, this.o.profile,
      transitLengthM(airspaceOf(this.o.store.geofences.list()), this.o.hoverAltitudeM));
    for (const cand of candidates) {
      if (!this.o.tasks.claim(cand.droneId, { kind: 'advisory', id, sinceMs: this.now() })) continue;
      this.o.logger.info({ advisory: id, droneId: cand.droneId, etaS: cand.etaS }, 'advisory: drone dispatched');
      this.apply(id, { kind: 'droneAssigned', droneId: cand.droneId, atMs: this.now() });
      return;
    }
  }

  private dispatchQueued(): void {
    for (const c of [...this.open.values()].sort((a, b) => a.steps[0]!.at.localeCompare(b.steps[0]!.at))) if (c.state === 'detected') this.dispatch(c.id);
  }

  private async flyTo(id: string, droneId: string, lat: number, lon: number): Promise<void> {
    const flight = await this.responders.flyTo(id, droneId, { lat, lon }, this.o.hoverAltitudeM);
    if (flight.kind === 'flown') this.checkOnScene(this.o.fleet.get(droneId)!);
    if (flight.kind === 'failed') this.apply(id, { kind: 'droneLost', reason: flight.reason, atMs: this.now() });
  }

  private checkOnScene(session: DroneSession): void {
    for (const c of [...this.open.values()]) {
      if (c.droneId === session.id && c.state !== 'detected' && this.responders.leftOnItsOwn(session.state)) {
        // its failsafe or a pilot took it home: the case needs another drone, and this one is left alone
        this.responders.rest(session.id);
        this.apply(c.id, { kind: 'droneLost', reason: `left the scene (${session.state.mode})`, atMs: this.now() });
        continue;
      }
      if (c.state !== 'dispatched' || c.droneId !== session.id) continue;
      const p = session.state.position;
      if (!p || session.state.landed) continue;
      if (distanceM(p, c) <= this.o.onSceneRadiusM && Math.abs(p.altRelM - this.o.hoverAltitudeM) < 5) {
        this.apply(c.id, { kind: 'droneOnScene', atMs: this.now() });
      }
    }
  }

  private async broadcast(id: string, droneId: string): Promise<void> {
    const c = this.open.get(id);
    const session = this.o.fleet.get(droneId);
    if (!c || !session) return;
    const zone = this.o.store.zones.list().find((z) => z.id === c.zoneId);
    const template = TEMPLATE_OF_ZONE[zone?.kind ?? 'temporary-stop'];
    const params: Record<string, number> = zone?.kind === 'temporary-stop' ? { minutes: Math.max(1, Math.round(zone.maxDwellS / 60)) } : {};
    try {
      for (const lang of ['zh-CN', 'en'] as const) {
        const input = { template, params, lang, target: { lat: c.lat, lon: c.lon } };
        await this.responders.act(droneId, 'advisory:broadcast', { advisoryId: id, ...input }, async () => {
          const end = await this.o.broadcaster.broadcast(session, input, ADVISORY_OPERATOR).finished;
          if (end.state !== 'done') throw new Error(end.reason ?? `the broadcast ended ${end.state}`);
        });
      }
      this.apply(id, { kind: 'broadcastDone', atMs: this.now() });
    } catch (err) {
      this.apply(id, { kind: 'broadcastFailed', reason: (err as Error).message, atMs: this.now() });
    }
  }

  private housekeeping(): void {
    const gone = this.dwell.expire(this.now() - this.o.forgetAfterS * 1000);
    this.handleDwell({ overstays: [], departures: gone, stale: 0 });
    this.dispatchQueued();
  }
}
