/**
 * The way home when the server sends a drone home (server/fleet/home-return.ts) without a
 * simulator: the decision on pure inputs (clear → RTL; a no-fly zone in the way, at any height up to
 * the RTL height → round it; no way → none, with the reason), and the commands a drone is sent for
 * each (a fake session that moves where it is told): RTL only, transit then RTL, RTL anyway with the
 * reason and an urgent event, nothing more once its failsafe or another task takes it; the RTL height
 * is the vehicle's when it reports one (15 m assumed otherwise), and the audit says which.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { DroneSession } from '../../server/fleet/drone-session.ts';
import { HomeReturns, wayHome } from '../../server/fleet/home-return.ts';
import { validateRoute, type Airspace } from '../../server/planning/index.ts';
import { FakeClock } from '../../server/time/clock.ts';
import { fakeDrone, settle, type FakeDroneOptions } from '../helpers/fake-drone.ts';
import { at, BASE, BLOCK, insideBlock, ring } from '../helpers/local-metres.ts';

const AIRSPACE: Airspace = { noFly: [BLOCK] };

describe('the way home (pure)', () => {
  const scene = { ...at(300), altitudeM: 40 };

  it('is the straight RTL when the leg home is clear', () => {
    expect(wayHome({ ...at(300, 200), altitudeM: 40 }, at(0, 200), AIRSPACE)).toEqual({ kind: 'straight' });
  });

  it('goes round a no-fly zone on the straight leg home, ending over home, at the drone\'s height, never in the zone', () => {
    const way = wayHome(scene, BASE, AIRSPACE);
    expect(way).toMatchObject({ kind: 'round', altitudeM: 40 });
    if (way.kind !== 'round') return;
    expect(way.path.length).toBeGreaterThan(1);
    expect(way.path.at(-1)).toMatchObject(BASE);
    expect(validateRoute([scene, ...way.path.map((p) => ({ ...p, altitudeM: 40 }))], AIRSPACE)).toEqual([]);
    expect(way.path.some(insideBlock)).toBe(false);
  });

  it('checks the leg at the RTL height too: a zone from 12 m up is in the way of a drone at 8 m, because RTL climbs to 15 m first', () => {
    const raised: Airspace = { noFly: [{ ...BLOCK, floorM: 12, ceilingM: 60 }] };
    const low = { ...scene, altitudeM: 8 };
    expect(validateRoute([low, { ...BASE, altitudeM: 8 }], raised)).toEqual([]); // clear at its own height
    expect(wayHome(low, BASE, raised)).toMatchObject({ kind: 'round', altitudeM: 15 });
    expect(wayHome(low, BASE, raised, 10)).toEqual({ kind: 'straight' }); // an RTL height under the zone
  });

  it('has no way when home lies in a zone or the way leaves the operating area, and says why', () => {
    const onHome = { noFly: [BLOCK, { id: 'nf_home', circle: { center: BASE, radiusM: 30 } }] };
    expect(wayHome(scene, BASE, onHome)).toMatchObject({ kind: 'none', reason: expect.stringMatching(/nf_home/) });
    const area = ring(250, 400, -300, 300); // the operating area ends 50 m south of the scene
    expect(wayHome(scene, BASE, { ...AIRSPACE, operatingArea: area, operatingAreaId: 'oa' })).toMatchObject({ kind: 'none', reason: expect.stringMatching(/leaves-operating-area oa/) });
  });
});

describe('sending a drone home (a fake drone that flies where it is told)', () => {
  /** HomeReturns over a fake drone (test/helpers/fake-drone.ts) that flies to each goto at once unless told otherwise. */
  function setup(start: { lat: number; lon: number }, o: FakeDroneOptions & { airspace?: Airspace } = {}) {
    const d = fakeDrone(start, { flies: 'at-once', ...o });
    let task: { id: string } | undefined;
    const home = new HomeReturns({
      fleet: d.fleet as never, tasks: { taskOf: () => task as never },
      clock: new FakeClock(0), logger: pino({ level: 'silent' }), airspace: () => o.airspace ?? AIRSPACE,
    });
    const audited: Array<{ action: string; request: Record<string, unknown> }> = [];
    const act = async (_d: string, action: string, request: unknown, fn: (s: DroneSession) => Promise<void>) => { audited.push({ action, request: request as Record<string, unknown> }); await fn(d.session); };
    const claim = () => { task = { id: 'inc_2' }; d.change(); };
    return { ...d, home, audited, act, claim };
  }

  it('sends RTL only when the straight way home is clear', async () => {
    const d = setup(at(300, 200), { airspace: { noFly: [{ ...BLOCK, polygon: ring(90, 210, 400, 500) }] } });
    expect(await d.home.send('E01', d.act, 'incident closed')).toEqual({ kind: 'rtl', way: 'straight' });
    expect(d.sent).toEqual(['rtl']);
    expect(d.audited).toEqual([{ action: 'return-home', request: { reason: 'incident closed', way: 'straight', rtlAltitudeM: 15, rtlAltitudeFrom: 'assumed' } }]);
    expect(d.home.sentHomeByServer('E01')).toBe(true);
    expect(d.events).toEqual([]);
  });

  it('transits round the zone corner by corner to above home, then sends RTL (which lands there)', async () => {
    const d = setup(at(300));
    let countedWhileTransiting = false;
    const d2 = setup(at(300), { onGoto: () => { countedWhileTransiting ||= d2.home.sentHomeByServer('E01'); } });
    expect(await d.home.send('E01', d.act, 'incident closed')).toEqual({ kind: 'rtl', way: 'round' });
    expect(d.audited.map((a) => a.action)).toEqual(['transit-home', 'return-home']);
    expect(d.audited[0]!.request).toMatchObject({ reason: 'incident closed', altitudeM: 40, path: expect.any(Array) });
    expect(d.sent.filter((c) => c === 'goto').length).toBeGreaterThan(1);
    expect(d.sent.at(-1)).toBe('rtl');
    expect(d.gotos.at(-1)).toMatchObject(BASE);
    expect(d.gotos.some(insideBlock)).toBe(false);
    // while it transits home it counts as sent home by the server (a dispatcher may take it)
    await d2.home.send('E01', d2.act, 'incident closed');
    expect(countedWhileTransiting).toBe(true);
  });

  it('still sends RTL when there is no way round (home in a zone), with the reason audited and an urgent geofence-breach event', async () => {
    const d = setup(at(300), { airspace: { noFly: [BLOCK, { id: 'nf_home', circle: { center: BASE, radiusM: 30 } }] } });
    const out = await d.home.send('E01', d.act, 'incident closed');
    expect(out).toMatchObject({ kind: 'rtl', way: 'unsafe', reason: expect.stringMatching(/^no safe way home: .*nf_home/) });
    expect(d.sent).toEqual(['rtl']);
    expect(d.audited).toEqual([{ action: 'return-home', request: { reason: 'incident closed', way: 'unsafe', wayReason: out.kind === 'rtl' ? out.reason : '', rtlAltitudeM: 15, rtlAltitudeFrom: 'assumed' } }]);
    expect(d.events).toEqual([expect.objectContaining({ kind: 'geofence-breach', droneId: 'E01', reason: expect.stringMatching(/nf_home/) })]);
  });

  it('checks the way at the vehicle\'s own RTL height when it has one: at 30 m a no-fly zone from 20 m up blocks the straight way (at the assumed 15 m it would not), so it flies round, and the audit says which height and whence', async () => {
    const raised: Airspace = { noFly: [{ ...BLOCK, floorM: 20, ceilingM: 120 }] };
    const low = (o: FakeDroneOptions) => { const x = setup(at(300), { ...o, airspace: raised }); x.state.position.altRelM = 10; return x; };

    const read = low({ rtlAltitudeM: 30 });
    expect(await read.home.send('E01', read.act, 'incident closed')).toEqual({ kind: 'rtl', way: 'round' });
    expect(read.audited.map((a) => a.action)).toEqual(['transit-home', 'return-home']);
    expect(read.audited[0]!.request).toMatchObject({ altitudeM: 30, rtlAltitudeM: 30, rtlAltitudeFrom: 'vehicle' });
    expect(read.audited[1]!.request).toEqual({ reason: 'incident closed', way: 'round', rtlAltitudeM: 30, rtlAltitudeFrom: 'vehicle' });
    expect(read.gotos.some(insideBlock)).toBe(false);
    expect(read.gotos.at(-1)).toMatchObject(BASE);
    expect(read.sent.at(-1)).toBe('rtl');

    // the same drone whose RTL height cannot be read: 15 m assumed, under the zone's floor, straight home
    const assumed = low({});
    expect(await assumed.home.send('E01', assumed.act, 'incident closed')).toEqual({ kind: 'rtl', way: 'straight' });
    expect(assumed.audited).toEqual([{ action: 'return-home', request: { reason: 'incident closed', way: 'straight', rtlAltitudeM: 15, rtlAltitudeFrom: 'assumed' } }]);
    expect(assumed.sent).toEqual(['rtl']);
  });

  it('sends plain RTL, with the reason, when the drone reports no home', async () => {
    const d = setup(at(300), { home: null });
    expect(await d.home.send('E01', d.act, 'incident closed')).toMatchObject({ kind: 'rtl', way: 'unchecked', reason: expect.stringMatching(/no home/) });
    expect(d.sent).toEqual(['rtl']);
    expect(d.audited[0]!.request).toMatchObject({ way: 'unchecked', wayReason: expect.stringMatching(/no home/) });
  });

  it('sends nothing more once the drone\'s own failsafe turns it for home during the transit, and no longer counts it as sent home by the server', async () => {
    const d = setup(at(300), { onGoto: (n) => { if (n === 2) d.state.mode = 'RTL'; } });
    expect(await d.home.send('E01', d.act, 'incident closed')).toMatchObject({ kind: 'stopped', reason: expect.stringMatching(/RTL/) });
    expect(d.sent).toEqual(['goto', 'goto']);
    expect(d.audited.map((a) => a.action)).toEqual(['transit-home']);
    expect(d.home.sentHomeByServer('E01')).toBe(false);
  });

  it('sends nothing more once another task claims the drone during the transit (a dispatcher redirected it)', async () => {
    const d = setup(at(300), { onGoto: (n) => { if (n === 1) d.claim(); } });
    expect(await d.home.send('E01', d.act, 'incident closed')).toMatchObject({ kind: 'stopped' });
    expect(d.sent).toEqual(['goto']);
    expect(d.home.sentHomeByServer('E01')).toBe(false);
  });

  it('sends nothing more when the link is lost during the transit', async () => {
    const d = setup(at(300), { onGoto: (n) => { if (n === 1) d.state.connected = false; } });
    expect(await d.home.send('E01', d.act, 'incident closed')).toMatchObject({ kind: 'stopped', reason: expect.stringMatching(/link lost/) });
    expect(d.sent).toEqual(['goto']);
  });

  it('no longer counts a drone in the RTL it was sent as sent home once its link is lost', async () => {
    const d = setup(at(300, 200));
    await d.home.send('E01', d.act, 'incident closed');
    d.change(); // RTL seen
    d.state.connected = false;
    d.change();
    expect(d.home.sentHomeByServer('E01')).toBe(false);
  });

  it('sends nothing more once a pilot takes the drone during the transit (another mode than GUIDED): no next corner, no RTL', async () => {
    const d = setup(at(300), { onGoto: (n) => { if (n === 2) d.state.mode = 'LOITER'; } });
    expect(await d.home.send('E01', d.act, 'incident closed')).toMatchObject({ kind: 'stopped', reason: expect.stringMatching(/LOITER: someone else took the drone/) });
    expect(d.sent).toEqual(['goto', 'goto']);
    expect(d.home.sentHomeByServer('E01')).toBe(false);
  });

  it('returns the errand already running when the drone is sent home again: one transit, one RTL', async () => {
    const x = setup(at(300), { mode: 'GUIDED', flies: 'when-moved' });
    const first = x.home.send('E01', x.act, 'incident closed');
    await settle();
    const second = x.home.send('E01', x.act, 'its task ended during the flight');
    expect(second).toBe(first);
    for (const p of x.audited[0]!.request.path as Array<{ lat: number; lon: number }>) { x.moveTo(p); await settle(); }
    expect(await second).toEqual({ kind: 'rtl', way: 'round' });
    expect(x.audited.map((a) => a.action)).toEqual(['transit-home', 'return-home']);
    expect(x.sent.filter((c) => c === 'rtl')).toHaveLength(1);
  });

  it('stops a transit in progress at shutdown: no more gotos, no RTL, no more actions; nothing is sent home after', async () => {
    const x = setup(at(300), { mode: 'GUIDED', flies: 'when-moved' });
    const sending = x.home.send('E01', x.act, 'incident closed');
    await settle();
    expect(x.sent).toEqual(['goto']);
    x.home.close();
    expect(x.home.sentHomeByServer('E01')).toBe(false);
    x.moveTo((x.audited[0]!.request.path as Array<{ lat: number; lon: number }>)[0]!);
    expect(await sending).toMatchObject({ kind: 'stopped' });
    expect(await x.home.send('E01', x.act, 'again')).toMatchObject({ kind: 'stopped' });
    expect(x.sent).toEqual(['goto']);
    expect(x.audited.map((a) => a.action)).toEqual(['transit-home']);
  });

  it('keeps counting a drone in the RTL it was sent as sent home until it leaves RTL or lands', async () => {
    const d = setup(at(300, 200));
    await d.home.send('E01', d.act, 'incident closed');
    expect(d.home.sentHomeByServer('E01')).toBe(true);
    d.change(); // more telemetry, still RTL
    expect(d.home.sentHomeByServer('E01')).toBe(true);
    d.state.mode = 'LOITER'; // a pilot took it
    d.change();
    expect(d.home.sentHomeByServer('E01')).toBe(false);
  });
});

