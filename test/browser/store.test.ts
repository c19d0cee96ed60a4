/** The console's store without a browser: snapshot + deltas, states by priority, trails, the event log. */
import { describe, expect, it } from 'vitest';
import type { Drone } from '../../server/contracts/drone.ts';
import { ConsoleStore, droneState, isUrgent } from '../../console/src/state/store.ts';

function drone(over: Partial<Drone> = {}): Drone {
  return {
    id: 'E01', sysid: 1, compid: 1, callsign: 'E01', autopilot: 'ardupilot', vehicleType: 'quadrotor', connected: true, armed: false, mode: 'STABILIZE',
    landed: true, systemStatus: 'STANDBY', position: { lat: 30.4987, lon: 114.4123, altMslM: 23, altRelM: 0 }, home: null, headingDeg: 0, groundSpeedMps: 0,
    climbMps: 0, attitude: null, battery: { remainingPct: 100, voltageV: 25.2, currentA: 0 }, gps: { fixType: 3, satellites: 14 }, mission: { current: 0, count: 0 },
    link: { id: 'udp', remote: '127.0.0.1:1', packetLossPct: 0, framesIn: 1 }, components: [], statusText: null, lastHeartbeatAt: '2026-11-29T10:00:00.000Z', wind: null, task: null, ...over,
  };
}

describe('console store', () => {
  it('starts from the snapshot and merges telemetry deltas field by field', () => {
    const store = new ConsoleStore();
    store.apply({ type: 'snapshot', drones: [drone(), drone({ id: 'E02', callsign: 'E02' })] });
    store.apply({ type: 'telemetry', t: 1, drones: [{ id: 'E01', armed: true, landed: false, mode: 'GUIDED' }] });
    expect(store.drones.get('E01')).toMatchObject({ armed: true, landed: false, mode: 'GUIDED', battery: { remainingPct: 100 }, callsign: 'E01' });
    expect(store.takeDirty().has('drones')).toBe(true);
    expect(store.takeDirty().size).toBe(0);
    // a drone first seen in a delta arrives whole; a new snapshot replaces everything
    store.apply({ type: 'telemetry', t: 2, drones: [drone({ id: 'E03', callsign: 'E03' })] });
    expect(store.drones.size).toBe(3);
    store.apply({ type: 'snapshot', drones: [drone()] });
    expect([...store.drones.keys()]).toEqual(['E01']);
    expect([...store.trails.keys()]).toEqual(['E01']);
  });

  it('names the state by priority: link lost, low battery, returning, flying, on ground', () => {
    expect(droneState(drone())).toBe('ground');
    expect(droneState(drone({ armed: true, landed: false, mode: 'GUIDED' }))).toBe('flying');
    expect(droneState(drone({ armed: true, landed: false, mode: 'RTL' }))).toBe('returning');
    expect(droneState(drone({ armed: true, landed: false, mode: 'GUIDED', task: { kind: 'incident', id: 'inc_1' } }))).toBe('onTask');
    expect(droneState(drone({ armed: true, landed: false, mode: 'RTL', task: { kind: 'incident', id: 'inc_1' } }))).toBe('returning');
    expect(droneState(drone({ armed: true, landed: false, mode: 'LAND' }))).toBe('returning');
    expect(droneState(drone({ armed: true, landed: true, mode: 'LAND' }))).toBe('ground');
    expect(droneState(drone({ armed: true, landed: false, battery: { remainingPct: 18, voltageV: 21, currentA: 9 } }))).toBe('lowBattery');
    expect(droneState(drone({ connected: false, battery: { remainingPct: 18, voltageV: 21, currentA: 9 } }))).toBe('lost');
  });

  it('keeps a short trail of positions that moved, and the event log newest first with the urgent ones marked', () => {
    const store = new ConsoleStore();
    store.apply({ type: 'snapshot', drones: [drone()] });
    for (let i = 1; i <= 100; i++) store.apply({ type: 'telemetry', t: i, drones: [{ id: 'E01', position: { lat: 30.4987 + i * 0.00001, lon: 114.4123, altMslM: 40, altRelM: 17 } }] });
    store.apply({ type: 'telemetry', t: 101, drones: [{ id: 'E01', position: { lat: 30.4987 + 100 * 0.00001, lon: 114.4123, altMslM: 40, altRelM: 17 } }] });
    const trail = store.trails.get('E01')!;
    expect(trail.length).toBe(60);
    expect(trail.at(-1)![1]).toBeCloseTo(30.4997, 6);

    store.apply({ type: 'event', event: { kind: 'armed', droneId: 'E01', at: '2026-11-29T10:00:00Z' } });
    store.apply({ type: 'event', event: { kind: 'link-lost', droneId: 'E01', at: '2026-11-29T10:00:01Z' } });
    expect(store.events.map((e) => [e.event.kind, e.urgent])).toEqual([['link-lost', true], ['armed', false]]);
    expect(isUrgent({ kind: 'command-result', at: '', result: 'COMMAND_DENIED' })).toBe(true);
    expect(isUrgent({ kind: 'command-result', at: '', result: 'accepted' })).toBe(false);
    expect(isUrgent({ kind: 'statustext', at: '', severity: 2 })).toBe(true);
    expect(isUrgent({ kind: 'statustext', at: '', severity: 6 })).toBe(false);
  });

  it('updates a known advisory case from its event, and asks for the list again for an unknown one', () => {
    const store = new ConsoleStore();
    store.setAdvisories([{ id: 'A1', state: 'detected', lat: 30.5, lon: 114.4, droneId: null }]);
    store.apply({ type: 'event', event: { kind: 'advisory', advisoryId: 'A1', state: 'dispatched', droneId: 'E02', at: '' } });
    expect(store.advisories.get('A1')).toMatchObject({ state: 'dispatched', droneId: 'E02' });
    expect(store.advisoriesStale).toBe(false);
    store.apply({ type: 'event', event: { kind: 'advisory', advisoryId: 'A2', state: 'detected', at: '' } });
    expect(store.advisoriesStale).toBe(true);
  });

  it('alerts on a new urgent incident, keeps incidents and road levels current from their events, and asks for the lists again', () => {
    const store = new ConsoleStore();
    const ev = (step: string, priority: number) => ({ kind: 'incident', incidentId: 'inc_1', state: step, step, incidentKind: 'fight', priority, lat: 30.5, lon: 114.4, at: '2026-11-29T10:00:00Z' });
    expect(isUrgent(ev('reported', 1))).toBe(true);
    expect(isUrgent(ev('reported', 2))).toBe(true);
    expect(isUrgent(ev('reported', 3))).toBe(false);
    expect(isUrgent(ev('on-scene', 1))).toBe(false);
    store.setIncidents([{ id: 'inc_1', kind: 'fight', priority: 1, lat: 30.5, lon: 114.4, note: '', reportedBy: 'op', reportedAt: '2026-11-29T10:00:00Z', dronesWanted: 1, state: 'reported', droneId: null, responders: [], steps: [], reason: null, outcome: null, closedBy: null }]);
    store.takeDirty();
    store.apply({ type: 'event', event: { ...ev('dispatched', 1), droneId: 'E02' } });
    expect(store.incidents.get('inc_1')).toMatchObject({ state: 'dispatched', droneId: 'E02' });
    expect(store.incidentsStale).toBe(true); // the step times come with the list
    expect(store.takeDirty().has('incidents')).toBe(true);

    const geometry = { type: 'LineString' as const, coordinates: [[114.41, 30.5], [114.42, 30.5]] as Array<[number, number]> };
    store.setRoads([{ id: 'rd_1', createdAt: '', updatedAt: '', name: 'A', geometry, direction: 'both', freeFlowMps: 16 }],
      [{ id: 'rd_1', level: 'free', speedMps: 15, at: '', name: 'A', freeFlowMps: 16, speedRatio: 0.9, densityPerKm: 3, samples: 2, observed: true, since: null, pending: null }]);
    store.takeDirty();
    store.apply({ type: 'event', event: { kind: 'traffic', roadId: 'rd_1', level: 'jammed', previous: 'free', speedMps: 1, at: '2026-11-29T10:01:00Z' } });
    expect(store.roads.get('rd_1')!.segment).toMatchObject({ level: 'jammed', speedMps: 1, since: '2026-11-29T10:01:00Z' });
    expect([...store.takeDirty()].sort()).toEqual(['events', 'traffic']);
    expect(store.roadsStale).toBe(false);
    store.apply({ type: 'event', event: { kind: 'traffic', roadId: 'rd_new', level: 'slow', previous: 'free', speedMps: 6, at: '' } });
    expect(store.roadsStale).toBe(true);
  });
});
