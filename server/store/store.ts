/**
 * The store as the rest of the server sees it: repositories, no SQL. SQLite (better-sqlite3) is
 * the one implementation today; a server database can be added behind the same interface.
 * Every method is synchronous and durable when it returns (an acknowledged write survives kill -9).
 */
import type { Geofence, GeofenceBody } from '../contracts/geofence.ts';
import type { Road, RoadInput } from '../contracts/road.ts';
import type { Zone, ZoneBody } from '../contracts/zone.ts';
import type { AdvisoryCase } from '../warnings/advisory-case.ts';
import type { Incident } from '../incidents/incident.ts';

export type Role = 'viewer' | 'operator' | 'admin';

export interface Operator {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

export interface OperatorRepo {
  create(op: { name: string; role: Role; tokenHash: string }): Operator;
  list(): Operator[];
  get(id: string): Operator | null;
  /** The active operator a token hash belongs to. */
  findByTokenHash(tokenHash: string): Operator | null;
  addToken(operatorId: string, tokenHash: string): void;
  /** Revokes the operator and all its tokens. Returns false when there is no such active operator. */
  revoke(id: string): boolean;
  countActive(): number;
}

export interface AuditEntry {
  id: number;
  at: string;
  operator: string;
  droneId: string | null;
  action: string;
  request: unknown;
  /** null until the action finished. */
  result: unknown;
}

export interface AuditFilter {
  droneId?: string;
  operator?: string;
  limit?: number;
  /** Entries with an id below this (paging: pass the last id of the previous page). */
  before?: number;
}

export interface AuditRepo {
  /** Written before the action is sent. */
  begin(entry: { at: string; operator: string; droneId: string | null; action: string; request: unknown }): number;
  finish(id: number, result: unknown): void;
  list(filter: AuditFilter): AuditEntry[];
}

export interface RegisteredDrone {
  id: string;
  key: string;
  sysid: number;
  callsign: string;
  notes: string;
  settings: Record<string, unknown>;
  firstSeenAt: string;
}

export interface DroneRegistryRepo {
  /**
   * The drone registered under this vehicle key. A vehicle that comes back from another port of the
   * same host (same link and sysid) gets its old id back unless that drone is in use; otherwise the
   * next id (E01, E02 …) is registered.
   */
  resolve(vehicle: { key: string; hostKey: string; sysid: number }, at: string, inUse: (id: string) => boolean): RegisteredDrone;
  list(): RegisteredDrone[];
  update(id: string, patch: Partial<Pick<RegisteredDrone, 'callsign' | 'notes' | 'settings'>>): RegisteredDrone | null;
}

export interface StoredEvent {
  id: number;
  at: string;
  droneId: string | null;
  kind: string;
  data: Record<string, unknown>;
}

export interface EventRepo {
  append(events: Array<{ at: string; droneId: string | null; kind: string; data: Record<string, unknown> }>): void;
  list(filter: { droneId?: string; kind?: string; limit?: number; before?: number }): StoredEvent[];
}

export interface TrackPoint {
  droneId: string;
  atMs: number;
  lat: number;
  lon: number;
  altRelM: number;
  headingDeg: number | null;
  groundSpeedMps: number | null;
}

export interface TrackRepo {
  append(points: TrackPoint[]): void;
  list(droneId: string, fromMs: number, toMs: number, limit: number): TrackPoint[];
}

export interface GeofenceRepo {
  create(body: GeofenceBody): Geofence;
  list(): Geofence[];
  get(id: string): Geofence | null;
  replace(id: string, body: GeofenceBody): Geofence | null;
  delete(id: string): boolean;
}

export interface StoredPlan {
  id: string;
  createdAt: string;
  createdBy: string;
  kind: string;
  request: unknown;
  plan: Record<string, unknown>;
  assignments: PlanAssignment[];
}

export interface PlanAssignment {
  droneId: string;
  /** Which part of the plan: 'route', 'sortie:N' or 'station:ID'. */
  part: string;
  at: string;
  result: 'started' | 'failed';
  error?: { code: string; message: string };
}

export interface PlanRepo {
  create(p: { createdBy: string; kind: string; request: unknown; plan: Record<string, unknown> }): StoredPlan;
  get(id: string): StoredPlan | null;
  list(limit: number): StoredPlan[];
  setAssignments(id: string, assignments: PlanAssignment[]): void;
}

export interface ZoneRepo {
  create(body: ZoneBody): Zone;
  list(): Zone[];
  delete(id: string): boolean;
}

export interface RoadRepo {
  create(body: RoadInput): Road;
  /** Oldest first. */
  list(): Road[];
  get(id: string): Road | null;
  /** Replaces the road's body (id and createdAt stay); null when there is no such road. */
  update(id: string, body: RoadInput): Road | null;
  delete(id: string): boolean;
}

export interface AdvisoryRepo {
  /** Insert or replace the case (it is saved at every step). */
  save(c: AdvisoryCase): void;
  list(filter: { state?: string; limit?: number }): AdvisoryCase[];
  get(id: string): AdvisoryCase | null;
}

export interface IncidentFilter {
  /** open: not yet released; closed: released. */
  status?: 'open' | 'closed';
  kind?: string;
  /** Reported at or after this ISO time. */
  since?: string;
  limit?: number;
}

export interface IncidentRepo {
  /** Insert or replace the incident (it is saved at every step). */
  save(i: Incident): void;
  get(id: string): Incident | null;
  /** Newest report first. */
  list(filter: IncidentFilter): Incident[];
}

export type BroadcastState = 'queued' | 'playing' | 'done' | 'failed' | 'stopped';

export interface StoredBroadcast {
  id: string;
  droneId: string;
  operator: string;
  /** When it was requested (ISO). */
  at: string;
  updatedAt: string;
  template: string | null;
  params: Record<string, string | number> | null;
  /** The text spoken, word for word ('' for a clip). */
  text: string;
  /** A pre-approved clip played instead of a text. */
  clipId: number | null;
  lang: string;
  voice: number;
  volume: number;
  repeat: number;
  priority: 'normal' | 'urgent';
  target: { lat: number; lon: number } | null;
  /** The loudspeaker protocol's request id. */
  requestId: number;
  state: BroadcastState;
  progress: number;
  durationMs: number | null;
  /** Why it failed or stopped. */
  reason: string | null;
  startedAt: string | null;
  endedAt: string | null;
}

export type BroadcastPatch = Partial<Pick<StoredBroadcast, 'state' | 'progress' | 'durationMs' | 'reason' | 'startedAt' | 'endedAt'>> & { updatedAt: string };

export interface BroadcastRepo {
  /** Stores a new broadcast; its id is given by the store (B1, B2 …). */
  create(b: Omit<StoredBroadcast, 'id' | 'updatedAt'>): StoredBroadcast;
  update(id: string, patch: BroadcastPatch): StoredBroadcast | null;
  get(id: string): StoredBroadcast | null;
  /** Newest first. */
  list(filter: { droneId?: string; state?: BroadcastState; limit?: number; before?: string }): StoredBroadcast[];
  /** Broadcasts still queued or playing (e.g. left so by a restart). */
  unfinished(): StoredBroadcast[];
}

export interface Store {
  readonly operators: OperatorRepo;
  readonly audit: AuditRepo;
  readonly drones: DroneRegistryRepo;
  readonly events: EventRepo;
  readonly tracks: TrackRepo;
  readonly geofences: GeofenceRepo;
  readonly plans: PlanRepo;
  readonly zones: ZoneRepo;
  readonly advisories: AdvisoryRepo;
  readonly broadcasts: BroadcastRepo;
  readonly incidents: IncidentRepo;
  readonly roads: RoadRepo;
  close(): void;
}
