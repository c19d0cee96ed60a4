import { describe, expect, it } from 'vitest';
import { openCase, stepCase, type AdvisoryCase, type CaseAction, type CaseEvent } from '../../server/warnings/advisory-case.ts';

const t0 = Date.UTC(2026, 10, 29, 10, 0, 0);
const at = (s: number) => t0 + s * 1000;

function run(events: CaseEvent[], maxBroadcasts = 2): { c: AdvisoryCase; actions: CaseAction[] } {
  let { next: c, actions } = openCase({ id: 'adv1', zoneId: 'lane-east', trackId: 'A1', lat: 30.5001, lon: 114.4143, maxBroadcasts, atMs: at(0) });
  const all = [...actions];
  for (const e of events) {
    const r = stepCase(c, e);
    c = r.next;
    all.push(...r.actions);
  }
  return { c, actions: all };
}

describe('advisory case', () => {
  it('goes detected → dispatched → on-scene/broadcasting → verifying → complied, releasing the drone, with every step timed', () => {
    const { c, actions } = run([
      { kind: 'droneAssigned', droneId: 'E02', atMs: at(1) },
      { kind: 'droneOnScene', atMs: at(40) },
      { kind: 'broadcastDone', atMs: at(55) },
      { kind: 'vehicleLeft', atMs: at(80) },
    ]);
    expect(c.state).toBe('complied');
    expect(c.steps.map((s) => [s.state, (Date.parse(s.at) - t0) / 1000])).toEqual([['detected', 0], ['dispatched', 1], ['on-scene', 40], ['broadcasting', 40], ['verifying', 55], ['complied', 80]]);
    expect(actions).toEqual([
      { kind: 'requestDrone' },
      { kind: 'flyTo', droneId: 'E02', lat: 30.5001, lon: 114.4143 },
      { kind: 'broadcast', droneId: 'E02', attempt: 1 },
      { kind: 'startVerifyTimer' },
      { kind: 'release', droneId: 'E02' },
    ]);
  });

  it('repeats the broadcast up to the maximum, then escalates to a ground unit and releases the drone', () => {
    const { c, actions } = run([
      { kind: 'droneAssigned', droneId: 'E02', atMs: at(1) },
      { kind: 'droneOnScene', atMs: at(40) },
      { kind: 'broadcastDone', atMs: at(55) },
      { kind: 'verifyTimeout', atMs: at(115) },
      { kind: 'broadcastDone', atMs: at(130) },
      { kind: 'verifyTimeout', atMs: at(190) },
      { kind: 'vehicleLeft', atMs: at(200) },
    ], 2);
    expect(c.state).toBe('escalated');
    expect(c.broadcasts).toBe(2);
    expect(c.reason).toBe('the vehicle stayed after 2 broadcasts');
    expect(actions.filter((a) => a.kind === 'broadcast').map((a) => (a as { attempt: number }).attempt)).toEqual([1, 2]);
    expect(actions.slice(-2)).toEqual([{ kind: 'release', droneId: 'E02' }, { kind: 'escalate', reason: 'the vehicle stayed after 2 broadcasts' }]);
  });

  it('escalates with a clear reason when the speaker fails', () => {
    const { c } = run([
      { kind: 'droneAssigned', droneId: 'E03', atMs: at(1) },
      { kind: 'droneOnScene', atMs: at(40) },
      { kind: 'broadcastFailed', reason: 'speaker fault (amplifier)', atMs: at(41) },
    ]);
    expect(c).toMatchObject({ state: 'escalated', reason: 'broadcast failed: speaker fault (amplifier)' });
  });

  it('goes back to the queue when its drone is lost, and closes as complied if the vehicle leaves before anyone arrives', () => {
    const lost = run([
      { kind: 'droneAssigned', droneId: 'E04', atMs: at(1) },
      { kind: 'droneLost', reason: 'link lost', atMs: at(10) },
    ]);
    expect(lost.c).toMatchObject({ state: 'detected', droneId: null });
    expect(lost.actions.slice(-2)).toEqual([{ kind: 'release', droneId: 'E04' }, { kind: 'requestDrone' }]);
    const left = run([{ kind: 'vehicleLeft', atMs: at(5) }]);
    expect(left.c.state).toBe('complied');
    expect(left.actions).toEqual([{ kind: 'requestDrone' }]);
  });

  it('ignores events that do not fit the state, and everything once final', () => {
    const { c } = run([
      { kind: 'droneOnScene', atMs: at(1) },
      { kind: 'broadcastDone', atMs: at(2) },
      { kind: 'vehicleLeft', atMs: at(3) },
      { kind: 'droneAssigned', droneId: 'E05', atMs: at(4) },
    ]);
    expect(c.steps.map((s) => s.state)).toEqual(['detected', 'complied']);
    expect(c.droneId).toBeNull();
  });
});
