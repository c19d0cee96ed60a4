/**
 * The way back to a paused patrol (server/fleet/patrol-return.ts) without a simulator: which item
 * the vehicle flies to when resumed (its own numbering), the leg decision on pure inputs (clear →
 * resume; a no-fly zone in the way → transit round it; no way → home), and the commands a drone is
 * sent for each (a fake session that moves where it is told).
 */
import { describe, expect, it } from 'vitest';
import { ardupilotCopter } from '../../server/autopilots/ardupilot-copter.ts';
import { genericAutopilot } from '../../server/autopilots/generic.ts';
import type { MissionItem } from '../../server/contracts/mission.ts';
import type { DroneSession } from '../../server/fleet/drone-session.ts';
import { toWireItems } from '../../server/fleet/mission-items.ts';
import { goBackToPatrol, legBack, resumeTarget } from '../../server/fleet/patrol-return.ts';
import { validateRoute, type Airspace } from '../../server/planning/index.ts';
import { fakeDrone as droneStayingPut, settle } from '../helpers/fake-drone.ts';
import { at, BLOCK, insideBlock, ring } from '../helpers/local-metres.ts';

const AIRSPACE: Airspace = { noFly: [BLOCK] };

/** A position as the vehicle stores it (degE7): equal to 1e-6°. */
const near = (northM: number, eastM = 0) => { const p = at(northM, eastM); return { lat: expect.closeTo(p.lat, 6), lon: expect.closeTo(p.lon, 6) }; };
const wp = (northM: number, eastM = 0): MissionItem => ({ command: 'NAV_WAYPOINT', ...at(northM, eastM), altitudeM: 30 });
/** Take-off, a speed change, four waypoints, a jump back to the first waypoint, RTL (as the planner writes a loop). */
const PATROL: MissionItem[] = [
  { command: 'NAV_TAKEOFF', altitudeM: 30 },
  { command: 'DO_CHANGE_SPEED', params: [1, 8, -1, 0] },
  wp(20, -40), wp(20, 40), wp(60, 40), wp(60, -40),
  { command: 'DO_JUMP', params: [2, 9, 0, 0] },
  { command: 'NAV_RETURN_TO_LAUNCH' },
];

describe('the item a resumed mission flies to', () => {
  const onArduPilot = ardupilotCopter.toVehicleMission('mission', toWireItems(PATROL));

  it('counts in the vehicle\'s numbering: ArduPilot keeps home as item 0, so its seq 4 is the plan\'s item 3', () => {
    expect(resumeTarget(onArduPilot, 4)).toMatchObject({ seq: 4, ...near(20, 40), altitudeM: 30 });
    expect(resumeTarget(genericAutopilot.toVehicleMission('mission', toWireItems(PATROL)), 3)).toMatchObject({ seq: 3, ...near(20, 40) });
  });

  it('leads a take-off or a speed change on to the next waypoint, and a loop\'s jump back to its target', () => {
    expect(resumeTarget(onArduPilot, 1)).toMatchObject({ seq: 3, ...near(20, -40) }); // NAV_TAKEOFF
    expect(resumeTarget(onArduPilot, 2)).toMatchObject({ seq: 3, ...near(20, -40) }); // DO_CHANGE_SPEED
    expect(resumeTarget(onArduPilot, 7)).toMatchObject({ seq: 3, ...near(20, -40) }); // DO_JUMP (target shifted for home)
  });

  it('has no position when nothing ahead has one (RTL, or past the end)', () => {
    expect(resumeTarget(onArduPilot, 8)).toBeNull();
    expect(resumeTarget(onArduPilot, 20)).toBeNull();
  });
});

describe('the leg back to the patrol', () => {
  const scene = { ...at(300), altitudeM: 40 };

  it('resumes directly when the straight leg is clear', () => {
    expect(legBack(scene, { ...at(300, 200), altitudeM: 30 }, AIRSPACE)).toEqual({ kind: 'resume' });
    expect(legBack(scene, null, AIRSPACE)).toEqual({ kind: 'resume' });
  });

  it('flies round a no-fly zone on the straight leg, ending over the item, at the higher height, never in the zone', () => {
    const item = { ...at(20, 10), altitudeM: 30 };
    expect(validateRoute([scene, item], AIRSPACE).map((v) => v.zoneId)).toEqual(['nf_block']);
    const leg = legBack(scene, item, AIRSPACE);
    expect(leg).toMatchObject({ kind: 'transit', altitudeM: 40 });
    if (leg.kind !== 'transit') return;
    expect(leg.path.length).toBeGreaterThan(1);
    expect(leg.path.at(-1)).toMatchObject(at(20, 10));
    expect(validateRoute([scene, ...leg.path.map((p) => ({ ...p, altitudeM: 40 })), item], AIRSPACE)).toEqual([]);
    expect(leg.path.some(insideBlock)).toBe(false);
  });

  it('keeps the transit height within the airspace\'s band', () => {
    const leg = legBack({ ...scene, altitudeM: 40 }, { ...at(20, 10), altitudeM: 30 }, { ...AIRSPACE, ceilingM: 35 });
    // the drone is above a 35 m ceiling where it is: no way back that stays in the band
    expect(leg).toMatchObject({ kind: 'home', reason: expect.stringMatching(/above-ceiling ceiling/) });
    expect(legBack({ ...scene, altitudeM: 30 }, { ...at(20, 10), altitudeM: 25 }, { ...AIRSPACE, ceilingM: 35 })).toMatchObject({ kind: 'transit', altitudeM: 30 });
  });

  it('sends the drone home when there is no way: the item in a zone, the way out of the operating area, no path', () => {
    const item = { ...at(20, 10), altitudeM: 30 };
    const zoneOnItem = { noFly: [BLOCK, { id: 'nf_new', circle: { center: at(20, 10), radiusM: 30 } }] };
    expect(legBack(scene, item, zoneOnItem)).toMatchObject({ kind: 'home', reason: expect.stringMatching(/nf_new/) });
    const area = ring(250, 400, -300, 300); // the operating area ends 50 m south of the scene
    expect(legBack(scene, item, { ...AIRSPACE, operatingArea: area, operatingAreaId: 'oa' })).toMatchObject({ kind: 'home', reason: expect.stringMatching(/leaves-operating-area oa/) });
    const wall = { id: 'nf_wall', polygon: ring(90, 210, -5000, 5000) }; // no way round within reach
    expect(legBack(scene, item, { noFly: [wall], operatingArea: ring(-500, 1000, -1000, 1000), operatingAreaId: 'oa' })).toMatchObject({ kind: 'home' });
  });
});

describe('going back to the patrol (a fake drone that flies where it is told)', () => {
  function fakeDrone(start: { lat: number; lon: number }, o: { failsafeAfterGotos?: number } = {}) {
    const sent: string[] = [];
    const state = { position: { ...start, altRelM: 40 }, connected: true, armed: true, landed: false, mode: 'GUIDED' };
    const session = {
      id: 'E01', state,
      control: {},
      adapter: {
        ...ardupilotCopter,
        goto: async (_v: unknown, lat: number, lon: number) => {
          sent.push('goto');
          if (o.failsafeAfterGotos !== undefined && sent.length > o.failsafeAfterGotos) state.mode = 'RTL';
          else state.position = { lat, lon, altRelM: 40 };
        },
        resumeMission: async (_v: unknown, seq: number) => { sent.push(`resume ${seq}`); state.mode = 'AUTO'; },
      },
      until: async (pred: (d: unknown) => boolean) => { if (!pred(state)) throw new Error('never got there'); },
    } as unknown as DroneSession;
    const audited: string[] = [];
    const act = async (_d: string, action: string, _r: unknown, fn: (s: DroneSession) => Promise<void>) => { audited.push(action); await fn(session); };
    return { session, sent, audited, act, state };
  }
  const context = (d: ReturnType<typeof fakeDrone>, seq: number) => ({ session: d.session, planId: 'p1', part: 'route', seq, missionItems: PATROL, airspace: AIRSPACE, act: d.act, held: () => true });

  it('resumes at once when the way is clear', async () => {
    const d = fakeDrone(at(40, 300));
    expect(await goBackToPatrol(context(d, 4))).toEqual({ kind: 'resumed' });
    expect(d.audited).toEqual(['resume-patrol']);
    expect(d.sent).toEqual(['resume 4']);
  });

  it('transits round the zone corner by corner, then resumes at the item', async () => {
    const d = fakeDrone(at(300));
    expect(await goBackToPatrol(context(d, 4))).toEqual({ kind: 'resumed' });
    expect(d.audited).toEqual(['transit-to-patrol', 'resume-patrol']);
    expect(d.sent.at(-1)).toBe('resume 4');
    expect(d.sent.filter((c) => c === 'goto').length).toBeGreaterThan(1);
  });

  it('says why it sends the drone home, and sends nothing itself, when there is no way', async () => {
    const d = fakeDrone(at(300));
    const back = await goBackToPatrol({ ...context(d, 4), airspace: { noFly: [BLOCK, { id: 'nf_new', circle: { center: at(20, 40), radiusM: 15 } }] } });
    expect(back).toMatchObject({ kind: 'home', reason: expect.stringMatching(/^no safe way back to patrol item 4: .*nf_new/) });
    expect(d.sent).toEqual([]);
    expect((await goBackToPatrol({ ...context(d, 4), missionItems: null })).kind).toBe('home');
  });

  it('stops, sending nothing more, when the drone\'s failsafe takes it home during the transit', async () => {
    const d = fakeDrone(at(300), { failsafeAfterGotos: 1 });
    expect(await goBackToPatrol(context(d, 4))).toMatchObject({ kind: 'stopped', reason: expect.stringMatching(/RTL/) });
    expect(d.sent).toEqual(['goto', 'goto']);
    expect(d.sent).not.toContain('resume 4');
  });

  it('stops, sending nothing more, when a pilot takes the drone during the transit (LOITER): no next corner, no resume', async () => {
    const d = droneStayingPut(at(300), { mode: 'GUIDED' });
    const audited: string[] = [];
    const back = goBackToPatrol({ session: d.session, planId: 'p1', part: 'route', seq: 4, missionItems: PATROL, airspace: AIRSPACE, held: () => true,
      act: async (_d, action, _r, fn) => { audited.push(action); await fn(d.session); } });
    await settle();
    expect(d.sent).toEqual(['goto']);
    d.setMode('LOITER');
    expect(await back).toMatchObject({ kind: 'stopped', reason: expect.stringMatching(/LOITER: someone else took the drone/) });
    expect(d.sent).toEqual(['goto']);
    expect(audited).toEqual(['transit-to-patrol']);
  });

  it('says the drone must go home, with the reason, when the way back cannot be checked (the adapter cannot read the mission)', async () => {
    const d = fakeDrone(at(300));
    const session = { ...d.session, adapter: { ...d.session.adapter, toVehicleMission: () => { throw new Error('item 3: unknown command'); } } } as unknown as DroneSession;
    expect(await goBackToPatrol({ ...context(d, 4), session })).toMatchObject({ kind: 'home', reason: expect.stringMatching(/way back could not be checked: item 3: unknown command/) });
    expect(d.sent).toEqual([]);
  });
});
