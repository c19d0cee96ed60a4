/** The incident reducer: steps and their times, lost drones replaced, several drones, closing. */
import { describe, expect, it } from 'vitest';
import { dronesMissing, reportIncident, stepIncident, type Incident, type IncidentEvent } from '../../server/incidents/incident.ts';

const T0 = Date.parse('2026-11-29T10:00:00.000Z');
function run(events: IncidentEvent[], drones = 1): { incident: Incident; actions: string[] } {
  let { next: incident, actions } = reportIncident({ id: 'inc_1', kind: 'fight', priority: 1, lat: 30.5, lon: 114.4, drones, by: 'command-room', atMs: T0 });
  const all = actions.map((a) => a.kind + ('droneId' in a ? `:${a.droneId}` : ''));
  for (const e of events) {
    ({ next: incident, actions } = stepIncident(incident, e));
    all.push(...actions.map((a) => a.kind + ('droneId' in a ? `:${a.droneId}` : '')));
  }
  return { incident, actions: all };
}
const s = (n: number) => T0 + n * 1000;

describe('incident reducer', () => {
  it('records reported, dispatched, airborne, on-scene and released with their times, and releases the drone on close', () => {
    const { incident, actions } = run([
      { kind: 'droneAssigned', droneId: 'E01', etaS: 40, airborne: false, atMs: s(2) },
      { kind: 'droneAirborne', droneId: 'E01', atMs: s(10) },
      { kind: 'droneOnScene', droneId: 'E01', atMs: s(45) },
      { kind: 'droneOnScene', droneId: 'E01', atMs: s(46) },
      { kind: 'close', outcome: 'resolved', by: 'op', atMs: s(300) },
    ]);
    expect(incident.steps.map((x) => [x.state, (Date.parse(x.at) - T0) / 1000])).toEqual([['reported', 0], ['dispatched', 2], ['airborne', 10], ['on-scene', 45], ['released', 300]]);
    expect(incident).toMatchObject({ state: 'released', outcome: 'resolved', closedBy: 'op', droneId: 'E01' });
    expect(actions).toEqual(['requestDrones', 'flyTo:E01', 'release:E01']);
  });

  it('asks for another drone when the first is lost, and goes back to reported until one is found', () => {
    const { incident, actions } = run([
      { kind: 'droneAssigned', droneId: 'E01', etaS: 40, airborne: false, atMs: s(1) },
      { kind: 'droneLost', droneId: 'E01', reason: 'link lost', atMs: s(5) },
    ]);
    expect(incident.state).toBe('reported');
    expect(dronesMissing(incident)).toBe(1);
    expect(actions).toEqual(['requestDrones', 'flyTo:E01', 'release:E01', 'requestDrones']);
    expect(incident.steps.at(-1)).toMatchObject({ state: 'lost', droneId: 'E01', note: 'link lost' });
  });

  it('answers with two drones when two are asked for: on scene with the first, both released on close', () => {
    const { incident, actions } = run([
      { kind: 'droneAssigned', droneId: 'E01', etaS: 30, airborne: true, atMs: s(1) },
      { kind: 'droneAssigned', droneId: 'E02', etaS: 60, airborne: false, atMs: s(1) },
      { kind: 'droneOnScene', droneId: 'E01', atMs: s(31) },
      { kind: 'close', outcome: 'false-alarm', by: 'op', atMs: s(40) },
    ], 2);
    expect(incident.responders.map((r) => [r.droneId, r.state, r.onSceneAt !== null])).toEqual([['E01', 'released', true], ['E02', 'released', false]]);
    expect(actions.filter((a) => a.startsWith('release'))).toEqual(['release:E01', 'release:E02']);
    expect(dronesMissing(incident)).toBe(0);
  });

  it('ignores everything after the incident is closed', () => {
    const { incident } = run([
      { kind: 'close', outcome: 'cancelled', by: 'op', atMs: s(5) },
      { kind: 'droneAssigned', droneId: 'E01', etaS: 30, airborne: false, atMs: s(6) },
    ]);
    expect(incident.responders).toEqual([]);
    expect(incident.state).toBe('released');
  });
});
