/**
 * One incident (a fight at a street-food stall, a crash, a lost child): reported by a command room,
 * answered by one or more drones, each of which flies there, hovers over it and stays until an
 * operator releases the incident. A pure reducer: events in, the new incident and the actions to
 * carry out out. Time comes with every event.
 *
 *   per responding drone:
 *                  takeoff seen             near the scene at the watch height
 *   dispatched ───────────────▶ airborne ───────────────────────────────▶ on-scene
 *       │  (already flying: airborne at once)                                │
 *       └────────── lost (link lost, command refused) ──▶ another drone is requested
 *
 *   incident:  reported ──▶ dispatched ──▶ airborne ──▶ on-scene ──close──▶ released
 *   (the incident is as far as its furthest responder; `close` releases every drone)
 *
 * Every state a responder or the incident enters is a step with its time.
 */
export type IncidentState = 'reported' | 'dispatched' | 'airborne' | 'on-scene' | 'released';
export type ResponderState = 'dispatched' | 'airborne' | 'on-scene' | 'lost' | 'released';
export type IncidentOutcome = 'resolved' | 'handed-to-ground-unit' | 'false-alarm' | 'cancelled';

export interface IncidentStep {
  state: IncidentState | 'lost';
  at: string;
  droneId?: string;
  note?: string;
}

export interface Responder {
  droneId: string;
  state: ResponderState;
  /** The dispatcher's estimate of the flight, seconds from dispatch to on scene. */
  etaS: number;
  dispatchedAt: string;
  airborneAt: string | null;
  onSceneAt: string | null;
}

export interface Incident {
  id: string;
  kind: string;
  /** 1 most urgent … 5 least. */
  priority: number;
  lat: number;
  lon: number;
  note: string;
  reportedBy: string;
  reportedAt: string;
  /** Drones asked for. */
  dronesWanted: number;
  state: IncidentState;
  /** The first drone sent (null until one is). */
  droneId: string | null;
  responders: Responder[];
  steps: IncidentStep[];
  /** Why no drone could be sent (e.g. the scene is in a no-fly zone), while that holds. */
  reason: string | null;
  outcome: IncidentOutcome | null;
  closedBy: string | null;
}

export type IncidentEvent =
  | { kind: 'droneAssigned'; droneId: string; etaS: number; airborne: boolean; atMs: number }
  | { kind: 'droneAirborne'; droneId: string; atMs: number }
  | { kind: 'droneOnScene'; droneId: string; atMs: number }
  | { kind: 'droneLost'; droneId: string; reason: string; atMs: number }
  | { kind: 'undispatchable'; reason: string; atMs: number }
  | { kind: 'close'; outcome: IncidentOutcome; by: string; note?: string; atMs: number };

export type IncidentAction =
  | { kind: 'flyTo'; droneId: string }
  | { kind: 'release'; droneId: string }
  | { kind: 'requestDrones' };

const ORDER: IncidentState[] = ['reported', 'dispatched', 'airborne', 'on-scene'];
const iso = (ms: number) => new Date(ms).toISOString();

export function reportIncident(input: { id: string; kind: string; priority: number; lat: number; lon: number; note?: string; drones?: number; by: string; atMs: number }): { next: Incident; actions: IncidentAction[] } {
  const at = iso(input.atMs);
  return {
    next: {
      id: input.id, kind: input.kind, priority: input.priority, lat: input.lat, lon: input.lon, note: input.note ?? '', reportedBy: input.by, reportedAt: at,
      dronesWanted: input.drones ?? 1, state: 'reported', droneId: null, responders: [], steps: [{ state: 'reported', at }], reason: null, outcome: null, closedBy: null,
    },
    actions: [{ kind: 'requestDrones' }],
  };
}

/** Drones still to find: wanted minus those answering (lost ones do not count). */
export function dronesMissing(i: Incident): number {
  if (i.state === 'released') return 0;
  return Math.max(0, i.dronesWanted - i.responders.filter((r) => r.state !== 'lost').length);
}

export function stepIncident(i: Incident, e: IncidentEvent): { next: Incident; actions: IncidentAction[] } {
  if (i.state === 'released') return { next: i, actions: [] };
  const at = iso(e.atMs);
  const steps = [...i.steps];
  const actions: IncidentAction[] = [];
  let responders = i.responders;
  let reason = i.reason;
  const update = (droneId: string, patch: Partial<Responder>) => {
    responders = responders.map((r) => (r.droneId === droneId && r.state !== 'lost' ? { ...r, ...patch } : r));
  };
  const active = (droneId: string) => responders.find((r) => r.droneId === droneId && r.state !== 'lost' && r.state !== 'released');

  switch (e.kind) {
    case 'droneAssigned': {
      if (active(e.droneId)) return { next: i, actions: [] };
      responders = [...responders, { droneId: e.droneId, state: e.airborne ? 'airborne' : 'dispatched', etaS: e.etaS, dispatchedAt: at, airborneAt: e.airborne ? at : null, onSceneAt: null }];
      steps.push({ state: 'dispatched', at, droneId: e.droneId });
      if (e.airborne) steps.push({ state: 'airborne', at, droneId: e.droneId, note: 'already flying' });
      reason = null;
      actions.push({ kind: 'flyTo', droneId: e.droneId });
      break;
    }
    case 'droneAirborne': {
      if (active(e.droneId)?.state !== 'dispatched') return { next: i, actions: [] };
      update(e.droneId, { state: 'airborne', airborneAt: at });
      steps.push({ state: 'airborne', at, droneId: e.droneId });
      break;
    }
    case 'droneOnScene': {
      const r = active(e.droneId);
      if (!r || r.state === 'on-scene') return { next: i, actions: [] };
      update(e.droneId, { state: 'on-scene', onSceneAt: at, airborneAt: r.airborneAt ?? at });
      if (!r.airborneAt) steps.push({ state: 'airborne', at, droneId: e.droneId });
      steps.push({ state: 'on-scene', at, droneId: e.droneId });
      break;
    }
    case 'droneLost': {
      if (!active(e.droneId)) return { next: i, actions: [] };
      update(e.droneId, { state: 'lost' });
      steps.push({ state: 'lost', at, droneId: e.droneId, note: e.reason });
      actions.push({ kind: 'release', droneId: e.droneId }, { kind: 'requestDrones' });
      break;
    }
    case 'undispatchable': {
      if (reason === e.reason) return { next: i, actions: [] };
      reason = e.reason;
      break;
    }
    case 'close': {
      for (const r of responders) if (r.state !== 'lost' && r.state !== 'released') actions.push({ kind: 'release', droneId: r.droneId });
      responders = responders.map((r) => (r.state === 'lost' ? r : { ...r, state: 'released' }));
      steps.push({ state: 'released', at, ...(e.note ? { note: e.note } : {}) });
      return { next: { ...i, responders, steps, state: 'released', outcome: e.outcome, closedBy: e.by, reason }, actions };
    }
  }
  const live = responders.filter((r) => r.state !== 'lost');
  const state = live.reduce<IncidentState>((s, r) => (ORDER.indexOf(r.state as IncidentState) > ORDER.indexOf(s) ? (r.state as IncidentState) : s), 'reported');
  return { next: { ...i, responders, steps, state, droneId: i.droneId ?? responders[0]?.droneId ?? null, reason }, actions };
}
