/**
 * The console's state: drones (snapshot + merged deltas), short trails, selection, the event log.
 * Messages only mark what changed; views redraw at most once per animation frame (see main.ts).
 */
import type { StreamMessage, StreamStatus } from '../api/stream.ts';
import type { Advisory, Drone, FleetEvent, Incident, Junction, Me, Road, TrafficSegment } from '../api/types.ts';

export type DroneState = 'ground' | 'flying' | 'onTask' | 'returning' | 'lost' | 'lowBattery';

export const LOW_BATTERY_PCT = 25;
const RETURNING_MODES = new Set(['RTL', 'LAND', 'SMART_RTL']);
const TRAIL_POINTS = 60;
const TRAIL_MIN_STEP_DEG = 0.000005; // ≈ 0.5 m
const MAX_EVENTS = 300;
/** Incidents of this priority or more urgent (1 is the most) alert the event log. */
export const URGENT_PRIORITY = 2;

export function droneState(d: Drone): DroneState {
  if (!d.connected) return 'lost';
  const pct = d.battery?.remainingPct;
  if (pct != null && pct < LOW_BATTERY_PCT) return 'lowBattery';
  const airborne = d.armed && !d.landed;
  if (airborne && RETURNING_MODES.has(d.mode)) return 'returning';
  if (airborne && d.task) return 'onTask';
  if (airborne) return 'flying';
  return 'ground';
}

export interface LogEntry {
  seq: number;
  event: FleetEvent;
  urgent: boolean;
}

const URGENT_KINDS = new Set(['link-lost', 'low-battery', 'geofence-breach', 'failsafe']);

export function isUrgent(ev: FleetEvent): boolean {
  if (URGENT_KINDS.has(ev.kind)) return true;
  if (ev.kind === 'command-result' && ev.result !== 'accepted') return true;
  if (ev.kind === 'statustext' && typeof ev.severity === 'number' && ev.severity <= 3) return true;
  if (ev.kind === 'advisory' && ev.state === 'escalated') return true;
  // a new urgent incident (priority 1 or 2), and an incident no drone can answer
  if (ev.kind === 'incident' && typeof ev.priority === 'number' && ev.priority <= URGENT_PRIORITY && ev.step === 'reported') return true;
  return false;
}

export type Topic = 'drones' | 'selection' | 'events' | 'status' | 'airspace' | 'advisories' | 'broadcasts' | 'view' | 'incidents' | 'traffic' | 'junctions';

/** A broadcast's latest state, from the stream's `broadcast` events. */
export interface BroadcastMark { state: string; reason: string | null }

/** A parking advisory case as the map shows it (GET /api/advisories, then `advisory` events). */
export interface AdvisoryMark { id: string; state: string; lat: number; lon: number; droneId: string | null; steps?: Advisory['steps']; trackId?: string }

/** A road with its latest traffic level (GET /api/roads + GET /api/traffic, then `traffic` events). */
export interface RoadMark { road: Road; segment: TrafficSegment | null }

export class ConsoleStore {
  readonly drones = new Map<string, Drone>();
  readonly trails = new Map<string, Array<[number, number]>>();
  readonly advisories = new Map<string, AdvisoryMark>();
  readonly broadcasts = new Map<string, BroadcastMark>();
  /** Incidents by id (GET /api/incidents; `incident` events update them and ask for a reload). */
  readonly incidents = new Map<string, Incident>();
  /** Roads by id with their traffic level. */
  readonly roads = new Map<string, RoadMark>();
  /** Where roads cross or meet (GET /api/traffic/junctions, loaded with the roads), numbered from 1 in this order. */
  junctions: Junction[] = [];
  /** An incident event arrived: the list (with its step times) needs loading again. */
  incidentsStale = false;
  /** A traffic event named a road we do not have. */
  roadsStale = false;
  /** Geofence names by id (an airspace violation names its zone). */
  readonly zoneNames = new Map<string, string>();
  /** An advisory event named a case we do not have: the list needs loading again. */
  advisoriesStale = false;
  selectedId: string | null = null;
  me: Me | null = null;
  status: StreamStatus = { state: 'connecting' };
  events: LogEntry[] = [];
  private eventSeq = 0;
  private dirty = new Set<Topic>();
  /** Messages applied, for the tests and the status line. */
  messages = 0;
  /** Bumped when drones are added or removed (lists re-sort only then). */
  membership = 0;

  apply(msg: StreamMessage): void {
    this.messages++;
    switch (msg.type) {
      case 'snapshot': {
        this.drones.clear();
        this.membership++;
        for (const d of msg.drones) { this.drones.set(d.id, d); this.extendTrail(d); }
        for (const id of [...this.trails.keys()]) if (!this.drones.has(id)) this.trails.delete(id);
        this.mark('drones');
        break;
      }
      case 'telemetry': {
        for (const delta of msg.drones) {
          const prev = this.drones.get(delta.id);
          // merged in place: a new object per drone per update costs ~7× more with 1,000 drones
          const next = prev ? Object.assign(prev, delta) : (delta as Drone);
          if (!prev) { this.membership++; this.drones.set(delta.id, next); }
          if (delta.position) this.extendTrail(next);
        }
        this.mark('drones');
        break;
      }
      case 'event':
        this.addEvent(msg.event);
        break;
      default:
        break;
    }
  }

  addEvent(event: FleetEvent): void {
    if (event.kind === 'advisory' && typeof event.advisoryId === 'string') {
      const known = this.advisories.get(event.advisoryId);
      if (known) { known.state = String(event.state); known.droneId = typeof event.droneId === 'string' ? event.droneId : known.droneId; this.mark('advisories'); }
      else this.advisoriesStale = true;
    }
    if (event.kind === 'advisory' && typeof event.advisoryId === 'string') {
      const known = this.advisories.get(event.advisoryId);
      if (known?.steps && known.steps[known.steps.length - 1]?.state !== event.state) known.steps.push({ state: String(event.state), at: event.at });
    }
    if (event.kind === 'incident' && typeof event.incidentId === 'string') {
      const known = this.incidents.get(event.incidentId);
      if (known) {
        known.state = String(event.state);
        if (typeof event.droneId === 'string') known.droneId = event.droneId;
        known.reason = typeof event.reason === 'string' ? event.reason : null;
        this.mark('incidents');
      }
      this.incidentsStale = true;
    }
    if (event.kind === 'traffic' && typeof event.roadId === 'string') {
      const known = this.roads.get(event.roadId);
      if (known) event.roadName = known.road.name; // the log names the road
      if (known?.segment) {
        known.segment.level = event.level as TrafficSegment['level'];
        known.segment.speedMps = typeof event.speedMps === 'number' ? event.speedMps : null;
        known.segment.since = event.at;
        known.segment.at = event.at;
        this.mark('traffic');
      } else this.roadsStale = true;
    }
    if (event.kind === 'broadcast' && typeof event.id === 'string') {
      this.broadcasts.set(event.id, { state: String(event.state), reason: typeof event.reason === 'string' ? event.reason : null });
      this.mark('broadcasts');
    }
    this.events.unshift({ seq: ++this.eventSeq, event, urgent: isUrgent(event) });
    if (this.events.length > MAX_EVENTS) this.events.length = MAX_EVENTS;
    this.mark('events');
  }

  setAdvisories(list: AdvisoryMark[]): void {
    this.advisories.clear();
    for (const a of list) this.advisories.set(a.id, a);
    this.advisoriesStale = false;
    this.mark('advisories');
  }

  setIncidents(list: Incident[]): void {
    this.incidents.clear();
    for (const i of list) this.incidents.set(i.id, i);
    this.mark('incidents');
  }

  setRoads(roads: Road[], segments: TrafficSegment[]): void {
    const byId = new Map(segments.map((s) => [s.id, s]));
    this.roads.clear();
    for (const road of roads) this.roads.set(road.id, { road, segment: byId.get(road.id) ?? null });
    this.roadsStale = false;
    this.mark('traffic');
  }

  setJunctions(junctions: Junction[]): void {
    this.junctions = junctions;
    this.mark('junctions');
  }

  setStatus(status: StreamStatus): void {
    this.status = status;
    this.mark('status');
  }

  select(id: string | null): void {
    this.selectedId = id;
    this.mark('selection');
  }

  selected(): Drone | null {
    return this.selectedId ? this.drones.get(this.selectedId) ?? null : null;
  }

  mark(topic: Topic): void {
    this.dirty.add(topic);
  }

  /** What changed since the last call (and forget it). */
  takeDirty(): Set<Topic> {
    const out = this.dirty;
    this.dirty = new Set();
    return out;
  }

  private extendTrail(d: Drone): void {
    if (!d.position) return;
    let trail = this.trails.get(d.id);
    if (!trail) { trail = []; this.trails.set(d.id, trail); }
    const last = trail[trail.length - 1];
    const p: [number, number] = [d.position.lon, d.position.lat];
    if (last && Math.abs(last[0] - p[0]) < TRAIL_MIN_STEP_DEG && Math.abs(last[1] - p[1]) < TRAIL_MIN_STEP_DEG) return;
    trail.push(p);
    if (trail.length > TRAIL_POINTS) trail.shift();
  }
}
