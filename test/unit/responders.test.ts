/**
 * A dispatcher's flights (server/fleet/responders.ts) with the patrol book and the way home, without
 * a simulator (a fake drone that stays where it is until moved): on release the flight to the scene
 * stops before the drone is sent on (one flight loop per drone), a drone on its way home is not sent
 * home twice, a way back that cannot be checked sends the drone home, a pilot's takeover (another
 * mode than guided) ends the flight and nothing more is sent, and nothing is sent after shutdown.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Geofence } from '../../server/contracts/geofence.ts';
import type { MissionItem } from '../../server/contracts/mission.ts';
import { HomeReturns } from '../../server/fleet/home-return.ts';
import { PatrolBook } from '../../server/fleet/patrols.ts';
import { Responders, type FlightOutcome } from '../../server/fleet/responders.ts';
import { TaskBoard } from '../../server/fleet/task-board.ts';
import { transit } from '../../server/fleet/transit.ts';
import type { Airspace } from '../../server/planning/index.ts';
import type { Store } from '../../server/store/store.ts';
import { FakeClock } from '../../server/time/clock.ts';
import { fakeDrone, settle, type FakeDrone } from '../helpers/fake-drone.ts';
import { at, BLOCK } from '../helpers/local-metres.ts';

const AIRSPACE: Airspace = { noFly: [BLOCK] };
const FENCES = [{ id: BLOCK.id, name: 'block', kind: 'no-fly', geometry: BLOCK.polygon }] as unknown as Geofence[];
const wp = (northM: number, eastM = 0): MissionItem => ({ command: 'NAV_WAYPOINT', ...at(northM, eastM), altitudeM: 30 });
/** The patrol south of the block; ArduPilot's seq 4 is the waypoint 20 m north, 40 m east. */
const PATROL: MissionItem[] = [{ command: 'NAV_TAKEOFF', altitudeM: 30 }, { command: 'DO_CHANGE_SPEED', params: [1, 8, -1, 0] }, wp(20, -40), wp(20, 40), wp(60, 40)];
/** North of the block, and the scene south of it: the flight there goes corner by corner round the block. */
const START = at(300);
const SCENE = at(-50);
const sceneCorners = transit(START, SCENE, AIRSPACE, 40);

function dispatcher(d: FakeDrone, o: { patrol?: boolean; plans?: { get: (id: string) => unknown } } = {}) {
  const tasks = new TaskBoard();
  const clock = new FakeClock(0);
  const logger = pino({ level: 'silent' });
  const airspace = () => AIRSPACE;
  const home = new HomeReturns({ fleet: d.fleet as never, tasks, clock, logger, airspace });
  const patrols = new PatrolBook({ fleet: d.fleet as never, tasks, clock, logger, plans: (o.plans ?? { get: () => ({ plan: { missionItems: PATROL } }) }) as never, airspace, home });
  const audited: Array<{ action: string; request: Record<string, unknown> }> = [];
  let closed = false;
  const store = {
    geofences: { list: () => FENCES },
    audit: { begin: (e: { action: string; request: unknown }) => audited.push({ action: e.action, request: e.request as Record<string, unknown> }), finish: () => {} },
  } as unknown as Store;
  const responders = new Responders({ fleet: d.fleet as never, store, clock, logger, tasks, patrols, kind: 'incident', operator: 'incident-dispatch', isClosed: () => closed });
  if (o.patrol) {
    patrols.hold('E01', 'hold_1');
    patrols.started('E01', 'hold_1', 'p1', 'route');
    d.change(); // seen flying its mission
  }
  expect(tasks.claim('E01', { kind: 'incident', id: 'inc_1', sinceMs: 0 })).toBe(true);
  const actions = () => audited.map((a) => a.action);
  return { tasks, home, patrols, responders, audited, actions, close: () => { closed = true; home.close(); patrols.close(); } };
}

/** Starts the flight to the scene and waits until it has commanded the first corner (the flight in a box: not awaited here). */
async function flyingToScene(d: FakeDrone, r: Responders): Promise<{ flight: Promise<FlightOutcome> }> {
  expect(sceneCorners.ok && sceneCorners.path.length).toBeGreaterThan(2);
  const flight = r.flyTo('inc_1', 'E01', SCENE, 40);
  await settle();
  expect(d.gotos).toHaveLength(1);
  return { flight };
}

const cornersOf = (c: typeof sceneCorners) => (c.ok ? c.path : []);

describe('a dispatcher\'s flight and the release', () => {
  it('stops the flight to the scene when the task is released: only the way back to the patrol steers the drone, and the stopped flight is not a failure', async () => {
    const d = fakeDrone(START);
    const x = dispatcher(d, { patrol: true });
    const { flight } = await flyingToScene(d, x.responders);
    const release = x.responders.release('inc_1', 'E01');
    await settle();
    // the way back from north of the block to the patrol item south of it goes round the block too: the incident stays the drone's task meanwhile
    expect(x.actions()).toEqual(['incident:fly', 'incident:transit-to-patrol']);
    expect(x.tasks.taskOf('E01')?.id).toBe('inc_1');
    const wayBack = x.audited[1]!.request.path as Array<{ lat: number; lon: number }>;
    // the drone reaches the scene flight's first corner: that flight must not send its next one
    d.moveTo(cornersOf(sceneCorners)[0]!);
    await settle();
    expect(await flight).toEqual({ kind: 'ended' });
    for (const p of wayBack) { d.moveTo(p); await settle(); }
    await release;
    expect(d.sent.at(-1)).toBe('resume 4');
    // after the release only the way back's corners were commanded, each once
    expect(d.gotos.slice(1)).toEqual(wayBack.map((p) => ({ lat: p.lat, lon: p.lon })));
    expect(x.tasks.taskOf('E01')?.kind).toBe('patrol');
    expect(x.responders.unavailable(d.state as never)).toBeNull(); // not resting: it did not fail
  });

  it('does not send home twice a drone without a patrol whose release sent it home while its flight to the scene was on the way', async () => {
    const d = fakeDrone(START);
    const x = dispatcher(d);
    const { flight } = await flyingToScene(d, x.responders);
    const release = x.responders.release('inc_1', 'E01');
    await settle();
    expect(x.actions()).toEqual(['incident:fly', 'incident:transit-home']);
    expect(x.home.sentHomeByServer('E01')).toBe(true);
    d.moveTo(cornersOf(sceneCorners)[0]!); // the scene flight wakes: its task is over, the drone in GUIDED, not yet in RTL
    expect(await flight).toEqual({ kind: 'ended' });
    const home = x.audited[1]!.request.path as Array<{ lat: number; lon: number }>;
    for (const p of home) { d.moveTo(p); await settle(); }
    await release;
    expect(x.actions()).toEqual(['incident:fly', 'incident:transit-home', 'incident:return-home']);
    expect(d.sent.filter((c) => c === 'rtl')).toHaveLength(1);
  });

  it('sends the drone home with the reason when its way back cannot be checked (the stored plan unreadable)', async () => {
    const d = fakeDrone(at(40, 300), { flies: 'at-once' });
    const x = dispatcher(d, { patrol: true, plans: { get: () => { throw new Error('database is locked'); } } });
    expect(await x.patrols.returnFromTask('E01', 'inc_1', x.responders.act)).toBe('home');
    expect(x.audited.at(-1)).toMatchObject({ action: 'return-home', request: { reason: expect.stringMatching(/way back could not be checked: database is locked/) } });
    expect(d.sent.at(-1)).toBe('rtl');
    expect(x.tasks.taskOf('E01')).toBeUndefined();
    expect(x.patrols.get('E01')).toBeUndefined();
  });

  it('stops when a pilot takes the drone on its way to the scene (LOITER): nothing more is sent, the responder fails, and the release sends it nowhere', async () => {
    const d = fakeDrone(START);
    const x = dispatcher(d, { patrol: true });
    const { flight } = await flyingToScene(d, x.responders);
    d.change(); // GUIDED in telemetry
    d.setMode('LOITER'); // the pilot's switch
    d.moveTo(cornersOf(sceneCorners)[0]!);
    expect(await flight).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/LOITER: someone else took the drone/) });
    expect(x.responders.leftOnItsOwn(d.state as never)).toBe(true);
    await x.responders.release('inc_1', 'E01'); // the incident loses the responder and releases it
    expect(d.sent).toEqual(['goto']);
    expect(x.actions()).toEqual(['incident:fly']);
    expect(x.tasks.taskOf('E01')).toBeUndefined();
    expect(x.patrols.get('E01')).toBeUndefined(); // the paused patrol is over: the pilot has the drone
  });

  it('sends nothing either when the takeover is seen first by the dispatcher (the responder lost and released before its flight wakes): no RTL', async () => {
    const d = fakeDrone(START);
    const x = dispatcher(d);
    const { flight } = await flyingToScene(d, x.responders);
    d.setMode('LOITER');
    expect(x.responders.leftOnItsOwn(d.state as never)).toBe(true); // the incident's watch, on the same telemetry
    await x.responders.release('inc_1', 'E01');
    expect(await flight).toEqual({ kind: 'ended' });
    await settle();
    expect(d.sent).toEqual(['goto']);
    expect(x.actions()).toEqual(['incident:fly']);
    expect(x.home.sentHomeByServer('E01')).toBe(false);
  });

  it('counts a responder a pilot took over the scene as gone, and leaves it alone on release', async () => {
    const d = fakeDrone(at(-40), { flies: 'at-once' });
    const x = dispatcher(d);
    expect(await x.responders.flyTo('inc_1', 'E01', SCENE, 40)).toEqual({ kind: 'flown' });
    d.change();
    expect(x.responders.leftOnItsOwn(d.state as never)).toBe(false); // hovering over the scene in GUIDED
    d.setMode('POSHOLD');
    expect(x.responders.leftOnItsOwn(d.state as never)).toBe(true);
    await x.responders.release('inc_1', 'E01');
    expect(d.sent).toEqual(['goto']);
    expect(x.tasks.taskOf('E01')).toBeUndefined();
  });

  it('redirects a drone this server sent home to a new scene: its RTL is the server\'s own, not a failsafe to leave alone', async () => {
    const d = fakeDrone(at(-40), { flies: 'at-once', mode: 'GUIDED' });
    const x = dispatcher(d);
    await x.responders.release('inc_1', 'E01'); // no patrol: home (a clear way: RTL at once)
    expect(d.sent).toEqual(['rtl']);
    expect(x.home.sentHomeByServer('E01')).toBe(true);
    expect(x.responders.unavailable(d.state as never)).toBeNull(); // a dispatcher may take it
    expect(x.tasks.claim('E01', { kind: 'incident', id: 'inc_2', sinceMs: 0 })).toBe(true);
    d.change(); // the next telemetry, still in RTL, with the new task on the board
    expect(x.responders.leftOnItsOwn(d.state as never)).toBe(false);
    expect(await x.responders.flyTo('inc_2', 'E01', at(-60), 40)).toEqual({ kind: 'flown' });
    expect(d.sent).toEqual(['rtl', 'goto']);
    // a failsafe RTL after that is the drone's own again
    d.setMode('RTL');
    expect(x.home.sentHomeByServer('E01')).toBe(false);
    expect(x.responders.leftOnItsOwn(d.state as never)).toBe(true);
  });

  it('sends nothing more after shutdown: a way back to the patrol in progress stops there', async () => {
    const d = fakeDrone(START, { mode: 'GUIDED' });
    const x = dispatcher(d, { patrol: true });
    const release = x.responders.release('inc_1', 'E01');
    await settle();
    expect(x.actions()).toEqual(['incident:transit-to-patrol']);
    const sent = d.sent.length;
    x.close();
    const wayBack = x.audited[0]!.request.path as Array<{ lat: number; lon: number }>;
    d.moveTo(wayBack[0]!);
    await release;
    expect(d.sent).toHaveLength(sent);
    expect(x.actions()).toEqual(['incident:transit-to-patrol']);
  });
});
