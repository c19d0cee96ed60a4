/**
 * One parking-advisory case: a vehicle overstays in a zone; a drone goes there, tells the driver
 * through its loudspeaker (zh-CN, then English), waits for the vehicle to leave, repeats up to
 * `maxBroadcasts` times, then hands the case to a ground unit. A pure reducer: events in, the new
 * case and the actions to carry out out. Time comes with every event.
 *
 *                 droneAssigned                droneOnScene                 broadcastDone
 *   detected ─────────────────▶ dispatched ──────────────▶ on-scene ─(at once)─▶ broadcasting ─────────▶ verifying
 *     │  ▲ noDrone: stays detected (queued)                   ▲              │ broadcastFailed       │
 *     │  └──────────────── droneLost (drone released) ────────┤              ▼                       │
 *     │                                                       │         escalated ◀── timeout, ──────┤
 *     │                                                       └─────── timeout, attempts < max ──────┘
 *     └── vehicleLeft (any state before a final one) ──▶ complied          (repeat the broadcast)
 *
 * Final states: complied, escalated. Every state entered is a step with its time.
 */
export type CaseState = 'detected' | 'dispatched' | 'on-scene' | 'broadcasting' | 'verifying' | 'complied' | 'escalated';

export interface CaseStep {
  state: CaseState;
  at: string;
  note?: string;
}

export interface AdvisoryCase {
  id: string;
  zoneId: string;
  trackId: string;
  state: CaseState;
  droneId: string | null;
  /** Where the vehicle was last seen. */
  lat: number;
  lon: number;
  broadcasts: number;
  maxBroadcasts: number;
  steps: CaseStep[];
  /** Why it was escalated, when it was. */
  reason?: string;
}

export type CaseEvent =
  | { kind: 'droneAssigned'; droneId: string; atMs: number }
  | { kind: 'droneOnScene'; atMs: number }
  | { kind: 'broadcastDone'; atMs: number }
  | { kind: 'broadcastFailed'; reason: string; atMs: number }
  | { kind: 'verifyTimeout'; atMs: number }
  | { kind: 'vehicleLeft'; atMs: number }
  | { kind: 'vehicleMoved'; lat: number; lon: number; atMs: number }
  | { kind: 'droneLost'; reason: string; atMs: number };

export type CaseAction =
  | { kind: 'flyTo'; droneId: string; lat: number; lon: number }
  | { kind: 'broadcast'; droneId: string; attempt: number }
  | { kind: 'startVerifyTimer' }
  | { kind: 'release'; droneId: string }
  | { kind: 'escalate'; reason: string }
  | { kind: 'requestDrone' };

export const FINAL_STATES: ReadonlySet<CaseState> = new Set(['complied', 'escalated']);

export function openCase(init: { id: string; zoneId: string; trackId: string; lat: number; lon: number; maxBroadcasts: number; atMs: number }): { next: AdvisoryCase; actions: CaseAction[] } {
  const c: AdvisoryCase = {
    id: init.id, zoneId: init.zoneId, trackId: init.trackId, state: 'detected', droneId: null, lat: init.lat, lon: init.lon,
    broadcasts: 0, maxBroadcasts: init.maxBroadcasts, steps: [{ state: 'detected', at: iso(init.atMs) }],
  };
  return { next: c, actions: [{ kind: 'requestDrone' }] };
}

export function stepCase(c: AdvisoryCase, e: CaseEvent): { next: AdvisoryCase; actions: CaseAction[] } {
  if (FINAL_STATES.has(c.state)) return { next: c, actions: [] };
  const enter = (state: CaseState, patch: Partial<AdvisoryCase> = {}, note?: string): AdvisoryCase => ({
    ...c, ...patch, state, steps: [...c.steps, { state, at: iso(e.atMs), ...(note ? { note } : {}) }],
  });
  const release: CaseAction[] = c.droneId ? [{ kind: 'release', droneId: c.droneId }] : [];

  switch (e.kind) {
    case 'vehicleLeft':
      return { next: enter('complied'), actions: release };
    case 'vehicleMoved':
      return { next: { ...c, lat: e.lat, lon: e.lon }, actions: [] };
    case 'droneAssigned':
      if (c.state !== 'detected') return { next: c, actions: [] };
      return { next: enter('dispatched', { droneId: e.droneId }, e.droneId), actions: [{ kind: 'flyTo', droneId: e.droneId, lat: c.lat, lon: c.lon }] };
    case 'droneOnScene': {
      if (c.state !== 'dispatched' || !c.droneId) return { next: c, actions: [] };
      // on scene, and the first broadcast starts at once: both steps carry the same time
      const onScene = enter('on-scene');
      const next: AdvisoryCase = { ...onScene, state: 'broadcasting', broadcasts: 1, steps: [...onScene.steps, { state: 'broadcasting', at: iso(e.atMs) }] };
      return { next, actions: [{ kind: 'broadcast', droneId: c.droneId, attempt: 1 }] };
    }
    case 'broadcastDone':
      if (c.state !== 'broadcasting') return { next: c, actions: [] };
      return { next: enter('verifying'), actions: [{ kind: 'startVerifyTimer' }] };
    case 'broadcastFailed': {
      if (c.state !== 'broadcasting') return { next: c, actions: [] };
      const reason = `broadcast failed: ${e.reason}`;
      return { next: enter('escalated', { reason }, reason), actions: [...release, { kind: 'escalate', reason }] };
    }
    case 'verifyTimeout':
      if (c.state !== 'verifying' || !c.droneId) return { next: c, actions: [] };
      if (c.broadcasts < c.maxBroadcasts) {
        const attempt = c.broadcasts + 1;
        return { next: enter('broadcasting', { broadcasts: attempt }), actions: [{ kind: 'broadcast', droneId: c.droneId, attempt }] };
      } else {
        const reason = `the vehicle stayed after ${c.broadcasts} broadcasts`;
        return { next: enter('escalated', { reason }, reason), actions: [...release, { kind: 'escalate', reason }] };
      }
    case 'droneLost':
      if (c.state === 'detected') return { next: c, actions: [] };
      // Back to the queue: another drone takes the case.
      return { next: enter('detected', { droneId: null }, `drone lost: ${e.reason}`), actions: [...release, { kind: 'requestDrone' }] };
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
