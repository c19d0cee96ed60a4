/**
 * The telemetry batcher and its rate limit as pure pieces, on a FakeClock: what goes into each
 * client's frame, how often, for which drones, and what a client that fell behind gets.
 */
import { describe, expect, it } from 'vitest';
import { ardupilotCopter } from '../../server/autopilots/ardupilot-copter.ts';
import type { Drone } from '../../server/contracts/drone.ts';
import { newDroneState } from '../../server/fleet/drone-state.ts';
import { TelemetryBatcher, type SubscriberState } from '../../server/stream/batcher.ts';
import { afterSend, rateAllows } from '../../server/stream/rate-limit.ts';
import { parseSubscription, SubscriptionError } from '../../server/stream/subscription.ts';
import { FakeClock } from '../../server/time/clock.ts';

const TICK_MS = 25;

function drone(n: number, clock: FakeClock, lat = 30.5, lon = 114.4): Drone {
  const d = newDroneState({ id: `E${String(n).padStart(2, '0')}`, sysid: n, compid: 1, autopilot: ardupilotCopter, type: 2, linkId: 'udp:test', remote: `127.0.0.1:${40000 + n}`, nowMs: clock.nowMs() });
  d.position = { lat, lon, altMslM: 30, altRelM: 0 };
  return d;
}

/** A batcher ticking on the fake clock, collecting every subscriber's frames (parsed) as a client would. */
function rig(drones: Drone[], clock: FakeClock) {
  const batcher = new TelemetryBatcher();
  for (const d of drones) batcher.markChanged(d, clock.nowMs());
  const frames = new Map<SubscriberState, any[]>();
  const behind = new Set<SubscriberState>();
  const subscribe = () => {
    const s = batcher.addSubscriber();
    frames.set(s, []);
    batcher.snapshot(s, clock.nowMs());
    return s;
  };
  clock.setInterval(() => {
    batcher.tick(clock.nowMs());
    for (const [s, got] of frames) {
      if (behind.has(s)) continue;
      const f = batcher.collect(s, clock.nowMs());
      if (f) got.push(JSON.parse(f.text));
    }
  }, TICK_MS);
  const change = (d: Drone, mutate: (d: Drone) => void) => { mutate(d); batcher.markChanged(d, clock.nowMs()); };
  const updatesOf = (s: SubscriberState, id: string) => frames.get(s)!.flatMap((f) => f.drones.filter((e: any) => e.id === id).map((e: any) => ({ t: f.t, ...e })));
  return { batcher, frames, behind, subscribe, change, updatesOf };
}

function maxInAnySecond(times: number[]): number {
  let best = 0;
  for (let i = 0; i < times.length; i++) {
    let n = 0;
    for (let j = i; j < times.length && times[j]! < times[i]! + 1000; j++) n++;
    best = Math.max(best, n);
  }
  return best;
}

describe('stream batcher', () => {
  it('sends only the top-level fields that changed since what that client last got', () => {
    const clock = new FakeClock();
    const d = drone(1, clock);
    const r = rig([d], clock);
    clock.advance(TICK_MS);
    const fast = r.subscribe();
    const late = r.subscribe();
    r.behind.add(late);

    r.change(d, (x) => { x.position = { lat: 30.51, lon: 114.4, altMslM: 40, altRelM: 10 }; });
    clock.advance(TICK_MS);
    expect(r.frames.get(fast)!.at(-1).drones).toEqual([{ id: 'E01', position: { lat: 30.51, lon: 114.4, altMslM: 40, altRelM: 10 } }]);

    clock.advance(200);
    r.change(d, (x) => { x.battery.remainingPct = 80; x.mode = 'GUIDED'; });
    clock.advance(TICK_MS);
    expect(Object.keys(r.frames.get(fast)!.at(-1).drones[0]).sort()).toEqual(['battery', 'id', 'mode']);

    // an unchanged value (the same position again) sends nothing
    const before = r.frames.get(fast)!.length;
    clock.advance(200);
    r.change(d, (x) => { x.position = { lat: 30.51, lon: 114.4, altMslM: 40, altRelM: 10 }; });
    clock.advance(TICK_MS * 4);
    expect(r.frames.get(fast)!.length).toBe(before);

    // the client that was behind gets, in one entry, everything that changed since its snapshot
    r.behind.delete(late);
    clock.advance(TICK_MS);
    expect(r.frames.get(late)).toHaveLength(1);
    const entry = r.frames.get(late)![0].drones[0];
    expect(Object.keys(entry).sort()).toEqual(['battery', 'id', 'mode', 'position']);
    expect(entry).toMatchObject({ mode: 'GUIDED', battery: { remainingPct: 80 }, position: { altRelM: 10 } });
  });

  it('does not repeat after a snapshot what the snapshot already showed', () => {
    const clock = new FakeClock();
    const d = drone(1, clock);
    const r = rig([d], clock);
    r.change(d, (x) => { x.mode = 'LOITER'; }); // changed, not yet folded by a tick
    const s = r.subscribe();
    clock.advance(TICK_MS * 4);
    expect(r.frames.get(s)).toEqual([]);
    r.change(d, (x) => { x.mode = 'RTL'; });
    clock.advance(TICK_MS);
    expect(r.frames.get(s)!.map((f) => f.drones)).toEqual([[{ id: 'E01', mode: 'RTL' }]]);
  });

  it('sends at most 10 updates per drone per second when telemetry arrives at 50 Hz, with the newest values', () => {
    const clock = new FakeClock();
    const drones = [drone(1, clock), drone(2, clock)];
    const r = rig(drones, clock);
    const s = r.subscribe();
    let k = 0;
    const source = clock.setInterval(() => {
      k++;
      for (const d of drones) r.change(d, (x) => { x.position = { lat: 30.5 + k * 1e-6, lon: 114.4, altMslM: 30, altRelM: k / 10 }; });
    }, 20);
    clock.advance(5000);
    for (const d of drones) {
      const times = r.updatesOf(s, d.id).map((u) => u.t);
      expect(maxInAnySecond(times)).toBeLessThanOrEqual(10);
      expect(times.length).toBeGreaterThanOrEqual(44); // ≈ 9.1 Hz: coalesced, not starved
      const gaps = times.slice(1).map((t, i) => t - times[i]!);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(125); // steady, not bursts and silences
    }
    // after the source stops, the last value it sent goes out
    source.cancel();
    const last = k;
    clock.advance(500);
    expect(r.updatesOf(s, 'E01').at(-1).position.altRelM).toBe(last / 10);
  });

  it('lets two changes 50 ms apart both go without waiting (5 Hz position + 4 Hz attitude on the vehicle\'s schedule)', () => {
    const clock = new FakeClock();
    const d = drone(1, clock);
    const r = rig([d], clock);
    clock.advance(TICK_MS);
    const s = r.subscribe();
    const changedAt: number[] = [];
    // position every 200 ms, attitude every 250 ms, heartbeat every 1000 ms: 8 distinct instants per second
    const t0 = clock.nowMs();
    for (let ms = 0; ms < 3000; ms += 50) {
      clock.advance(ms === 0 ? 0 : 50);
      if (ms % 200 === 0 || ms % 250 === 0) {
        changedAt.push(clock.nowMs());
        r.change(d, (x) => { x.attitude = { rollDeg: ms / 100, pitchDeg: 0, yawDeg: 0 }; });
      }
    }
    clock.advance(100);
    const sentAt = r.updatesOf(s, 'E01').map((u) => u.t);
    expect(sentAt).toHaveLength(changedAt.length);
    // each change goes out at the next tick: never more than one tick late
    sentAt.forEach((t, i) => expect(t - changedAt[i]!).toBeLessThanOrEqual(TICK_MS));
    expect(t0).toBeLessThan(sentAt[0]!);
  });

  it('gives a client only the drones it subscribed to by id, or those inside its bounding box', () => {
    const clock = new FakeClock();
    const a = drone(1, clock, 30.50, 114.40);
    const b = drone(2, clock, 30.60, 114.50);
    const c = drone(3, clock, 31.00, 115.00);
    const r = rig([a, b, c], clock);
    clock.advance(TICK_MS);
    const byId = r.batcher.addSubscriber();
    const byBox = r.batcher.addSubscriber();
    r.frames.set(byId, []);
    r.frames.set(byBox, []);
    expect(r.batcher.snapshot(byId, clock.nowMs(), parseSubscription({ type: 'subscribe', droneIds: ['E02'] })).map((d) => d.id)).toEqual(['E02']);
    expect(r.batcher.snapshot(byBox, clock.nowMs(), parseSubscription({ type: 'subscribe', bbox: [114.3, 30.4, 114.55, 30.65] })).map((d) => d.id)).toEqual(['E01', 'E02']);

    for (const d of [a, b, c]) r.change(d, (x) => { x.mode = 'GUIDED'; });
    clock.advance(TICK_MS);
    expect(r.frames.get(byId)!.flatMap((f) => f.drones.map((e: any) => e.id))).toEqual(['E02']);
    expect(r.frames.get(byBox)!.flatMap((f) => f.drones.map((e: any) => e.id)).sort()).toEqual(['E01', 'E02']);

    // E01 leaves the box: the box client gets that last update, then nothing more about it
    clock.advance(200);
    r.change(a, (x) => { x.position = { lat: 29.0, lon: 114.4, altMslM: 30, altRelM: 0 }; });
    clock.advance(TICK_MS);
    expect(r.updatesOf(byBox, 'E01').at(-1).position.lat).toBe(29.0);
    const n = r.updatesOf(byBox, 'E01').length;
    clock.advance(200);
    r.change(a, (x) => { x.mode = 'RTL'; });
    clock.advance(TICK_MS);
    expect(r.updatesOf(byBox, 'E01')).toHaveLength(n);

    // E03 flies into the box: it arrives whole (every field), since this client never had it
    clock.advance(200);
    r.change(c, (x) => { x.position = { lat: 30.55, lon: 114.45, altMslM: 30, altRelM: 0 }; });
    clock.advance(TICK_MS);
    const entered = r.updatesOf(byBox, 'E03');
    expect(entered).toHaveLength(1);
    expect(Object.keys(entered[0]).length).toBeGreaterThanOrEqual(Object.keys(c).length);
  });

  it('honours a lower rate chosen by the client', () => {
    const clock = new FakeClock();
    const d = drone(1, clock);
    const r = rig([d], clock);
    const slowRate = r.batcher.addSubscriber();
    r.frames.set(slowRate, []);
    r.batcher.snapshot(slowRate, clock.nowMs(), parseSubscription({ type: 'subscribe', maxHz: 2 }));
    const full = r.subscribe();
    let k = 0;
    clock.setInterval(() => r.change(d, (x) => { x.headingDeg = ++k; }), 20);
    clock.advance(5000);
    const slow = r.updatesOf(slowRate, 'E01').map((u) => u.t);
    expect(maxInAnySecond(slow)).toBeLessThanOrEqual(2);
    expect(slow.length).toBeGreaterThanOrEqual(9);
    expect(r.updatesOf(full, "E01").length).toBeGreaterThanOrEqual(44);
  });

  it('gives a client that fell behind the newest state of each drone, not the backlog, with bounded memory', () => {
    const clock = new FakeClock();
    const drones = Array.from({ length: 50 }, (_, i) => drone(i + 1, clock));
    const r = rig(drones, clock);
    const slow = r.subscribe();
    const fast = r.subscribe();
    r.behind.add(slow);
    let k = 0;
    clock.setInterval(() => { k++; for (const d of drones) r.change(d, (x) => { x.position = { lat: 30.5, lon: 114.4, altMslM: 30, altRelM: k }; }); }, 20);
    clock.advance(3000);
    expect(slow.pending.length).toBeLessThanOrEqual(drones.length); // a set of drones, not a queue of frames
    expect(r.frames.get(slow)).toHaveLength(0);
    expect(r.frames.get(fast)!.length).toBeGreaterThan(25); // ≈ 9 frames/s, all 50 drones in each
    r.behind.delete(slow);
    const newest = k;
    clock.advance(TICK_MS);
    const caughtUp = r.frames.get(slow)!;
    expect(caughtUp).toHaveLength(1);
    expect(caughtUp[0].drones).toHaveLength(50);
    for (const e of caughtUp[0].drones) expect(e.position.altRelM).toBeGreaterThanOrEqual(newest);
  });

  it('refreshes link.framesIn alone at most once a second', () => {
    const clock = new FakeClock();
    const d = drone(1, clock);
    const r = rig([d], clock);
    const s = r.subscribe();
    clock.setInterval(() => r.change(d, (x) => { x.link.framesIn++; }), 20);
    clock.advance(3000);
    expect(r.updatesOf(s, 'E01').length).toBeLessThanOrEqual(4);
  });

  it('rate limit: never more than maxHz in any 1 s window, for any arrival pattern', () => {
    let seed = 5;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (const maxHz of [10, 4, 1]) {
      let tat = 0;
      const sent: number[] = [];
      for (let now = 0; now < 20_000; now += 1 + Math.floor(rnd() * 40)) {
        if (rateAllows(tat, now)) { sent.push(now); tat = afterSend(tat, now, maxHz); }
      }
      expect(maxInAnySecond(sent)).toBeLessThanOrEqual(maxHz);
      expect(sent.length / 20).toBeGreaterThan(maxHz * 0.85);
    }
  });

  it('refuses malformed subscriptions with a message naming the field', () => {
    expect(() => parseSubscription({ type: 'subscribe', bbox: [1, 2, 3] })).toThrow(/bbox/);
    expect(() => parseSubscription({ type: 'subscribe', droneIds: 'E01' })).toThrow(/droneIds/);
    expect(() => parseSubscription({ type: 'subscribe', maxHz: 0 })).toThrow(/maxHz/);
    expect(() => parseSubscription({ type: 'subscribe', area: 1 })).toThrow(SubscriptionError);
    expect(parseSubscription({ type: 'subscribe', maxHz: 50 }).maxHz).toBe(10);
  });
});
