/** The server's shapes, from the shared contract (server/contracts, server/planning); types only, nothing is bundled. */
import type { Static } from '@sinclair/typebox';
import type { MissionItem } from '../../../server/contracts/mission.ts';
import type { PlanSchema } from '../../../server/planning/schemas.ts';

export type { Drone } from '../../../server/contracts/drone.ts';
export type { DroneCommand } from '../../../server/contracts/command.ts';
export type { Geofence } from '../../../server/contracts/geofence.ts';
export type { Zone } from '../../../server/contracts/zone.ts';
export type { Junction } from '../../../server/traffic/junctions.ts';
export type { MissionItem };
export type { PlanRequest, OverwatchRequest } from '../../../server/planning/schemas.ts';

export type Role = 'viewer' | 'operator' | 'admin';
export interface Me { name: string; role: Role }

/** A fleet event as /api/stream sends it (`{ type: 'event', event }`). */
export interface FleetEvent {
  kind: string;
  droneId?: string;
  at: string;
  [field: string]: unknown;
}

export interface ErrorBody { error: { code: string; message: string; details?: Record<string, unknown> } }

/** GET /api/drones/:id/mission: the items, and the vehicle's sequence number of items[0] (`mission.current` counts from it). */
export interface MissionDownload { items: MissionItem[]; firstSeq?: number }

/** A stored plan (POST /api/plans, GET /api/plans/:id). */
type PlanBody = Static<typeof PlanSchema>;
export type Station = NonNullable<PlanBody['stations']>[number];
/** One sortie of an overwatch's relief schedule: on station from–to; it leaves the base at launchAt. */
export type ScheduleEntry = NonNullable<PlanBody['schedule']>[number] & { launchAt?: string; returnAt?: string };
export type Plan = Omit<PlanBody, 'schedule'> & { schedule?: ScheduleEntry[]; id: string; createdAt: string; createdBy: string; assignments: Assignment[] };

/** GET /api/plans: summaries. */
export interface PlanSummary { id: string; kind: string; createdAt: string; createdBy: string; lengthM: number; durationS: number; batteryPct: number }

/** One drone's part of an assignment (POST /api/plans/:id/assign). */
export interface Assignment { droneId: string; part: string; at: string; result: 'started' | 'failed'; error?: { code: string; message: string } }

/** GET /api/plans/:id/run (as server/api/plans.ts answers). */
export interface RunStatus {
  planId: string;
  state: 'running' | 'finished' | 'stopped';
  window: { start: string; end: string };
  /** Seconds the run is shifted against the plan's window (started "now"). */
  shiftS: number;
  now: string;
  stations: Array<{
    stationId: string; holder: string | null; since: string | null; covered: boolean;
    nextRelief: { launchAt: string; from: string; droneId: string | null; state: string } | null;
    coveredS: number; uncoveredS: number;
  }>;
  drones: Array<{ droneId: string; state: string; stationId: string | null; sorties: number; batteryPct: number | null; reason: string | null }>;
  sorties: { total: number; done: number; pending: number; replacements: number };
}

/** GET /api/broadcast-templates. */
export interface BroadcastTemplate {
  id: string;
  title: Record<string, string>;
  priority: string;
  params: Array<{ name: string; description: string; required: boolean; default?: Record<string, string> }>;
  text: Record<string, string>;
}

/** One step of an incident or a parking case, with its time. */
export interface CaseStep { state: string; at: string; droneId?: string; note?: string }

/** An incident (GET /api/incidents, server/api/incidents.ts IncidentSchema). */
export interface Incident {
  id: string; kind: string; priority: number; lat: number; lon: number; note: string;
  reportedBy: string; reportedAt: string; dronesWanted: number;
  state: string; droneId: string | null;
  responders: Array<{ droneId: string; state: string; etaS: number; dispatchedAt: string; airborneAt: string | null; onSceneAt: string | null }>;
  steps: CaseStep[]; reason: string | null; outcome: string | null; closedBy: string | null;
}

/** GET /api/dispatch/candidates. */
export interface DispatchCandidates {
  candidates: Array<{ droneId: string; etaS: number; batteryNeededPct: number; distanceM: number; airborne: boolean }>;
  rejected: Array<{ droneId: string; reason: string }>;
}

/** GET /api/metrics/response. */
export interface ResponseStats { count: number; medianS: number | null; p90S: number | null }
export interface ResponseRow { period: string; kind: string; incidents: number; reportToDispatch: ResponseStats; reportToOnScene: ResponseStats; groundUnitS: number | null; savedS: number | null }
export interface ResponseFigures { period: string; since: string; rows: ResponseRow[] }

/** GET /api/dispatch/prepositioning. */
export interface Prepositioning {
  idleDrones: number; incidentsUsed: number;
  suggestions: Array<{ droneId: string; lat: number; lon: number; moveM: number }>;
  expected: { currentMeanS: number; currentP90S: number; suggestedMeanS: number; suggestedP90S: number; improvementMeanS: number };
}

/** A parking advisory case (GET /api/advisories). */
export interface Advisory { id: string; zoneId: string; trackId: string; state: string; droneId: string | null; lat: number; lon: number; steps: CaseStep[]; reason?: string }

export type { Road, TrafficSegment, TrafficLevel } from '../../../server/contracts/road.ts';
