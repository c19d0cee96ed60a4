/**
 * The overwatch runner on a FakeClock with a fake fleet: reliefs launch at their launchAt, the
 * incumbent leaves only once its relief is on station, a drone that drops out (never takes off,
 * link lost on station, low battery) is replaced at once by the nearest ready spare, and the
 * uncovered time per station is measured from the drones' positions.
 */
import { describe, expect, it } from 'vitest';
import { OverwatchRunner, type RunnerPlan } from '../../server/fleet/overwatch-runner.ts';
import { plan, type OverwatchPlan } from '../../server/planning/index.ts';
import { FakeClock } from '../../server/time/clock.ts';
import { FakeWorld } from './fake-fleet.ts';

const M = 111_320;
const BASE = { lat: 30.4987, lon: 114.4123 };
const off = (n: number, e: number) => ({ lat: BASE.lat + n / M, lon: BASE.lon + e / (M * Math.cos((BASE.lat * Math.PI) / 180)) });
const venue = { type: 'Polygon' as const, coordinates: [[[BASE.lon - 0.01, BASE.lat - 0.01], [BASE.lon + 0.01, BASE.lat - 0.01], [BASE.lon + 0.01, BASE.lat + 0.01], [BASE.lon - 0.01, BASE.lat + 0.01], [BASE.lon - 0.01, BASE.lat - 0.01]]] };
const WINDOW = { start: '2026-12-31T18:00:00.000Z', end: '2026-12-31T19:00:00.000Z' };
const AIRFRAME = { cruiseMps: 10, enduranceS: 900, swapS: 60 };

function overwatchPlan(): OverwatchPlan {
  return plan({ kind: 'overwatch', venue, pois: [off(400, 0), off(0, 500)], window: WINDOW, bases: [BASE], airframe: AIRFRAME, altitudeM: 40 });
}

function runnerPlan(p: OverwatchPlan): RunnerPlan {
  return { planId: 'P1', stations: p.stations, schedule: p.schedule, window: WINDOW, stationMissions: p.stationMissions, cruiseMps: 10, climbMps: 2.5, swapS: 60, handoverMarginS: 60 };
}

interface Setup {
  clock: FakeClock;
  world: FakeWorld;
  runner: OverwatchRunner;
  p: OverwatchPlan;
  /** Advance simulated time, letting the actions' promises settle between steps. */
  run(ms: number): Promise<void>;
  runUntil(ms: number): Promise<void>;
}

/** `spares`: extra drones parked at [north, east] metres from the base. */
function setup(opts: { spares?: [number, number][]; startAt?: string } = {}): Setup {
  const clock = new FakeClock(Date.parse('2026-12-31T17:50:00Z'));
  // 10 % faster than planned, so a relief launched on time is on station by its `from`
  const world = new FakeWorld(clock, { cruiseMps: 11, climbMps: 2.75, descentMps: 1.65 });
  const p = overwatchPlan();
  const ids: string[] = [];
  for (let i = 0; i < p.fleetSize; i++) {
    ids.push(`D${i + 1}`);
    world.addDrone(`D${i + 1}`, off(0, 5 * i));
  }
  (opts.spares ?? []).forEach(([northM, eastM], i) => {
    ids.push(`X${i + 1}`);
    world.addDrone(`X${i + 1}`, off(northM, eastM));
  });
  const runner = new OverwatchRunner({ clock, fleet: world.fleet(), actions: world.runnerActions(), plan: runnerPlan(p), droneIds: ids, ...(opts.startAt ? { startAt: opts.startAt } : {}) });
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += 250) {
      clock.advance(250);
      await new Promise((r) => setImmediate(r));
    }
  };
  return { clock, world, runner, p, run, runUntil: (ms) => run(ms - clock.nowMs()) };
}

const stationOf = (r: OverwatchRunner, id: string) => r.status().stations.find((s) => s.stationId === id)!;

describe('overwatch runner (fake fleet, fake clock)', () => {
  it('launches every relief at its launchAt, hands over only once the relief is on station, and covers the whole window', async () => {
    const { world, runner, p, runUntil } = setup();
    runner.start();
    await runUntil(Date.parse(WINDOW.end) + 5 * 60_000);

    // every sortie's launch sequence began on time (its launchAt less the 30 s lead, to one runner tick), by the slot's drone
    const launches = world.launches();
    expect(launches).toHaveLength(p.schedule.length);
    const byLaunch = [...p.schedule].sort((a, b) => Date.parse(a.launchAt) - Date.parse(b.launchAt));
    byLaunch.forEach((e, i) => {
      const l = launches.find((x) => x.stationId === e.stationId && Math.abs(x.atMs - (Date.parse(e.launchAt) - 30_000)) <= 1000);
      expect(l, `sortie ${i} (${e.stationId} at ${e.launchAt})`).toBeDefined();
      expect(l!.droneId).toBe(`D${e.drone}`);
    });

    // handover order: every relieved drone's relief was on station before it was sent home
    const log = runner.status().log;
    const relieved = log.filter((e) => e.kind === 'relieved');
    expect(relieved.length).toBe(p.schedule.length - p.stations.length);
    for (const r of relieved) {
      const by = r.detail!.replace('by ', '');
      const arrival = log.filter((e) => e.kind === 'on-station' && e.droneId === by && e.stationId === r.stationId && e.at <= r.at);
      expect(arrival.length, `${by} on ${r.stationId} before ${r.droneId} left`).toBeGreaterThan(0);
      const rtl = world.actions.find((a) => a.kind === 'rtl' && a.droneId === r.droneId && a.atMs >= Date.parse(arrival.at(-1)!.at));
      expect(rtl?.reason).toBe(`relieved by ${by}`);
    }

    // measured: covered the whole window, no gap, no console gap events
    const status = runner.status();
    expect(status.state).toBe('finished');
    for (const s of status.stations) {
      expect(s.uncoveredS, s.stationId).toBe(0);
      expect(s.coveredS).toBe(3600);
    }
    expect(world.events.filter((e) => e.kind.startsWith('overwatch-gap'))).toEqual([]);
    // after the window every drone is sent home
    expect(status.drones.every((d) => d.state === 'returning' || d.state === 'swapping' || d.state === 'idle')).toBe(true);
  });

  it('shifts the window to now with startAt "now": the first launch sequence begins at once', async () => {
    const { clock, world, runner, run } = setup({ startAt: 'now' });
    const t0 = clock.nowMs();
    runner.start();
    await run(2000);
    expect(world.launches()[0]!.atMs).toBe(t0);
    const status = runner.status();
    expect(Date.parse(status.window.start)).toBeGreaterThan(t0);
    expect(status.shiftS).toBe(Math.round((Date.parse(status.window.start) - Date.parse(WINDOW.start)) / 1000));
  });

  it('drone never takes off: after the take-off timeout the nearest spare flies the sortie, and the incumbent holds until it arrives', async () => {
    // spares 300 m south and 20 m north of the base: the one nearer the station is picked
    const { world, runner, p, runUntil } = setup({ spares: [[-300, 0], [20, 0]] });
    const second = p.schedule.filter((e) => e.stationId === 'S1')[1]!;
    world.neverTakesOff(`D${second.drone}`);
    runner.start();
    await runUntil(Date.parse(second.to));
    const launch = world.launches().find((l) => l.droneId === `D${second.drone}`)!;
    expect(Math.abs(launch.atMs - (Date.parse(second.launchAt) - 30_000))).toBeLessThanOrEqual(1000);
    const spare = world.launches().find((l) => l.droneId.startsWith('X'))!;
    expect(spare).toMatchObject({ droneId: 'X2', stationId: 'S1' });
    // at once after the 30 s take-off timeout
    expect(spare.atMs - launch.atMs).toBeGreaterThanOrEqual(30_000);
    expect(spare.atMs - launch.atMs).toBeLessThanOrEqual(32_000);
    expect(runner.status().drones.find((d) => d.droneId === `D${second.drone}`)).toMatchObject({ state: 'failed', reason: 'no-takeoff' });
    // the incumbent waited for the spare: no gap
    const log = runner.status().log;
    const relieved = log.find((e) => e.kind === 'relieved' && e.stationId === 'S1' && e.detail === 'by X2');
    expect(relieved).toBeDefined();
    expect(stationOf(runner, 'S1').uncoveredS).toBe(0);
  });

  it('link lost on station: a gap opens, the nearest spare launches at once, the gap closes when it arrives, and the uncovered time is what was measured', async () => {
    // X2 is parked 400 m east, nearest station S2 (closer than any idle drone at the base)
    const { clock, world, runner, p, runUntil, run } = setup({ spares: [[10, 0], [0, 400]] });
    runner.start();
    const first = p.schedule.find((e) => e.stationId === 'S2')!;
    await runUntil(Date.parse(first.from) + 120_000);
    const holder = stationOf(runner, 'S2').holder!;
    expect(holder).toBe(`D${first.drone}`);
    const lostAt = clock.nowMs();
    world.loseLink(holder);
    await run(1000);
    // the console is told at once, and the spare nearest the station (flight time) is launched
    const opened = world.events.find((e) => e.kind === 'overwatch-gap-opened');
    expect(opened).toMatchObject({ stationId: 'S2', planId: 'P1' });
    const spare = world.launches().find((l) => l.droneId.startsWith('X'))!;
    expect(spare).toMatchObject({ droneId: 'X2', stationId: 'S2' });
    expect(spare.atMs - lostAt).toBeLessThanOrEqual(1000);
    expect(runner.status().drones.find((d) => d.droneId === holder)).toMatchObject({ state: 'lost', reason: 'link-lost' });

    await run(3 * 60_000);
    const closed = world.events.find((e) => e.kind === 'overwatch-gap-closed')!;
    expect(closed).toMatchObject({ stationId: 'S2' });
    const s = stationOf(runner, 'S2');
    expect(s.holder).toBe('X2');
    expect(s.gaps).toHaveLength(1);
    // climb 40 m at 2.75 m/s (15 s) + ~100 m − 36 m radius at 11 m/s (6 s) ≈ 21 s, measured to the runner's 1 s tick
    expect(s.uncoveredS).toBeGreaterThanOrEqual(18);
    expect(s.uncoveredS).toBeLessThanOrEqual(25);
    expect(closed.uncoveredS).toBe(s.uncoveredS);
    expect(s.gaps[0]!.durationS).toBe(s.uncoveredS);
    expect(stationOf(runner, 'S1').uncoveredS).toBe(0);
  });

  it('low battery on station: the drone is sent home, the spare takes the gap, and the rest of the schedule still runs', async () => {
    const { clock, world, runner, p, runUntil, run } = setup({ spares: [[300, 0]] });
    runner.start();
    const first = p.schedule.find((e) => e.stationId === 'S1')!;
    await runUntil(Date.parse(first.from) + 200_000);
    const holder = stationOf(runner, 'S1').holder!;
    world.lowBattery(holder);
    const at = clock.nowMs();
    await run(1000);
    expect(world.actions.find((a) => a.kind === 'rtl' && a.droneId === holder)).toMatchObject({ reason: 'low-battery' });
    expect(world.launches().find((l) => l.droneId === 'X1')!.atMs - at).toBeLessThanOrEqual(1000);
    await runUntil(Date.parse(WINDOW.end) + 60_000);
    const status = runner.status();
    const s1 = stationOf(runner, 'S1');
    // the spare climbs 15 s and flies ~64 m; the leaving drone still covers for ~3 s
    expect(s1.uncoveredS).toBeGreaterThan(10);
    expect(s1.uncoveredS).toBeLessThan(30);
    expect(s1.coveredS + s1.uncoveredS).toBeCloseTo(3600, 0);
    expect(stationOf(runner, 'S2').uncoveredS).toBe(0);
    // the drone that dropped out is not flown again; every other sortie was flown
    expect(world.launches().filter((l) => l.droneId === holder)).toHaveLength(1);
    expect(status.drones.find((d) => d.droneId === holder)!.state).toBe('failed');
    expect(status.sorties.replacements).toBe(1);
    expect(status.state).toBe('finished');
  });

  it('stop sends every flying drone home and stops deciding', async () => {
    const { world, runner, runUntil, run } = setup();
    runner.start();
    await runUntil(Date.parse(WINDOW.start) + 60_000);
    runner.stop();
    await run(1000);
    const flying = world.actions.filter((a) => a.kind === 'rtl' && a.reason === 'run stopped').map((a) => a.droneId).sort();
    expect(flying).toEqual(['D1', 'D2']);
    const launches = world.launches().length;
    await run(30 * 60_000);
    expect(world.launches().length).toBe(launches);
    expect(runner.status().state).toBe('stopped');
  });
});
