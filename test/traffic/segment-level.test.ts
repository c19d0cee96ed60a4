/** The level rule of one road segment (server/traffic/segment-level.ts), on a fake clock. */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../server/time/clock.ts';
import { Prng } from '../../simulator/prng.ts';
import { densityLevel, rawLevel, SegmentLevel, speedLevel, type LevelChange } from '../../server/traffic/segment-level.ts';

const FREE_FLOW = 20;
const shape = { lengthM: 1000, lanes: 2, freeFlowMps: FREE_FLOW };

/** Feeds a segment `vehicles` sightings per second at speed `speedAt(tS)` and evaluates every second. */
function drive(seg: SegmentLevel, clock: FakeClock, seconds: number, speedAt: (tS: number) => number, opts: { vehicles?: number; t0S?: number } = {}) {
  const changes: LevelChange[] = [];
  const t0 = opts.t0S ?? 0;
  for (let s = 0; s < seconds; s++) {
    clock.advance(1000);
    for (let v = 0; v < (opts.vehicles ?? 3); v++) seg.addVehicle({ atMs: clock.nowMs(), speedMps: speedAt(t0 + s), trackId: `v${(t0 + s) * 10 + v}` }, clock.nowMs());
    const c = seg.evaluate(clock.nowMs());
    if (c) changes.push(c);
  }
  return changes;
}

describe('traffic level rule', () => {
  it('maps speed ratio to a level at 0.7, 0.45 and 0.2 of free flow, and density can only make it worse', () => {
    expect([0.95, 0.7, 0.69, 0.45, 0.44, 0.2, 0.19, 0].map((r) => rawLevel(r, null))).toEqual(['free', 'free', 'slow', 'slow', 'congested', 'congested', 'jammed', 'jammed']);
    expect(rawLevel(0.9, 30)).toBe('free'); // a busy but moving road
    expect(rawLevel(0.9, 40)).toBe('slow');
    expect(rawLevel(0.9, 60)).toBe('congested');
    expect(rawLevel(0.9, 90)).toBe('jammed');
    expect(rawLevel(0.1, 5)).toBe('jammed');
    expect(rawLevel(null, 70)).toBe('congested');
  });

  it('crosses a boundary only past the margin, seen from the current level (Schmitt trigger)', () => {
    expect(speedLevel(0.66, 'free')).toBe('free'); // below 0.7 but not by 0.05
    expect(speedLevel(0.64, 'free')).toBe('slow');
    expect(speedLevel(0.72, 'slow')).toBe('slow'); // above 0.7 but not by 0.05
    expect(speedLevel(0.75, 'slow')).toBe('free');
    expect(speedLevel(0.1, 'free')).toBe('jammed');
    expect(speedLevel(0.22, 'jammed')).toBe('jammed');
    expect(speedLevel(0.26, 'jammed')).toBe('congested');
    expect(densityLevel(37, 'free')).toBe('free'); // 35 · 1.1 = 38.5 needed
    expect(densityLevel(39, 'free')).toBe('slow');
    expect(densityLevel(33, 'slow')).toBe('slow'); // 35 · 0.9 = 31.5 to leave
    expect(densityLevel(31, 'slow')).toBe('free');
  });

  it('adopts a new level only after it held for the dwell, and publishes each change once', () => {
    const clock = new FakeClock();
    const seg = new SegmentLevel(shape, { windowS: 10, dwellS: 20 });
    expect(drive(seg, clock, 30, () => 19)).toEqual([]);
    expect(seg.level).toBe('free');
    // a 15 s slowdown (shorter than the dwell) changes nothing
    expect(drive(seg, clock, 15, () => 2)).toEqual([]);
    expect(seg.pending?.level).toBe('jammed');
    expect(drive(seg, clock, 30, () => 19)).toEqual([]);
    expect(seg.pending).toBeNull();
    // a lasting jam: adopted once the dwell is over, not before
    const changes = drive(seg, clock, 60, () => 2);
    expect(changes.map((c) => [c.previous, c.level])).toEqual([['free', 'jammed']]);
    const startedMs = clock.nowMs() - 60_000;
    // the 10 s window must first fill with slow sightings (about 6 s past the margin), then 20 s of dwell
    expect((changes[0]!.atMs - startedMs) / 1000).toBeGreaterThanOrEqual(20);
    expect((changes[0]!.atMs - startedMs) / 1000).toBeLessThanOrEqual(30);
    expect(changes[0]!.estimate.speedMps).toBe(2);
    expect(changes[0]!.reason).toBe('observed');
    expect(seg.adoptedAtMs).toBe(changes[0]!.atMs);
  });

  it('steps up through levels a building jam passes through without stepping back, then down as it clears', () => {
    const clock = new FakeClock();
    const seg = new SegmentLevel(shape, { windowS: 20, dwellS: 15 });
    drive(seg, clock, 40, () => 19);
    // speed falls from free flow to a crawl over 120 s, stays 120 s, recovers over 120 s, then free
    const profile = (t: number) => (t < 120 ? 19 - (17.5 * t) / 120 : t < 240 ? 1.5 : t < 360 ? 1.5 + (17.5 * (t - 240)) / 120 : 19);
    const changes = drive(seg, clock, 480, profile);
    const levels = changes.map((c) => c.level);
    expect(levels).toEqual(['slow', 'congested', 'jammed', 'congested', 'slow', 'free']);
    expect(seg.level).toBe('free');
  });

  it('does not flicker on a noisy signal around a threshold', () => {
    const clock = new FakeClock();
    const rng = new Prng(42);
    const seg = new SegmentLevel(shape, { windowS: 10, dwellS: 20 });
    // settle at slow: ratio ≈ 0.55
    drive(seg, clock, 60, () => 11);
    expect(seg.level).toBe('slow');
    // ratio wanders round the slow|congested boundary (0.45): slow waves of ±0.04 plus sighting noise of ±0.1
    const changes = drive(seg, clock, 1800, (t) => FREE_FLOW * (0.45 + 0.04 * Math.sin((2 * Math.PI * t) / 45) + (rng.next() - 0.5) * 0.2), { vehicles: 4 });
    expect(changes).toEqual([]);
    // and round the free|slow boundary from the free side
    const seg2 = new SegmentLevel(shape, { windowS: 10, dwellS: 20 });
    drive(seg2, clock, 30, () => 19);
    const changes2 = drive(seg2, clock, 1800, (t) => FREE_FLOW * (0.7 + 0.04 * Math.sin((2 * Math.PI * t) / 37) + (rng.next() - 0.5) * 0.2), { vehicles: 4 });
    expect(changes2).toEqual([]);
    expect(seg2.level).toBe('free');
  });

  it('flips at most once per dwell even when the signal swings well past the margin back and forth', () => {
    const clock = new FakeClock();
    const seg = new SegmentLevel(shape, { windowS: 5, dwellS: 20 });
    // 0.9 ↔ 0.1 of free flow every 12 s: never holds 20 s, never changes
    const changes = drive(seg, clock, 600, (t) => (Math.floor(t / 12) % 2 === 0 ? 18 : 2));
    expect(changes).toEqual([]);
  });

  it('goes back to free after the window empties and the dwell passes (no data), and says so', () => {
    const clock = new FakeClock();
    const seg = new SegmentLevel(shape, { windowS: 30, dwellS: 20 });
    drive(seg, clock, 90, () => 1);
    expect(seg.level).toBe('jammed');
    const changes: LevelChange[] = [];
    for (let s = 0; s < 120; s++) {
      clock.advance(1000);
      const c = seg.evaluate(clock.nowMs());
      if (c) changes.push(c);
    }
    expect(changes.map((c) => [c.previous, c.level, c.reason])).toEqual([['jammed', 'free', 'no-data']]);
    expect(seg.estimate).toMatchObject({ observed: false, speedMps: null, samples: 0 });
    // sightings older than the window are refused
    expect(seg.addVehicle({ atMs: clock.nowMs() - 31_000, speedMps: 3, trackId: 'late' }, clock.nowMs())).toBe(false);
    expect(seg.addVehicle({ atMs: clock.nowMs() - 29_000, speedMps: 3, trackId: 'late' }, clock.nowMs())).toBe(true);
  });

  it('estimates density per km per lane from segment counts, and from distinct recent tracks as a lower bound', () => {
    const clock = new FakeClock();
    const seg = new SegmentLevel({ lengthM: 500, lanes: 2, freeFlowMps: 15 }, { windowS: 60, dwellS: 10 });
    const now = () => clock.nowMs();
    // 12 distinct vehicles seen in the last 10 s on 0.5 km × 2 lanes = 12 per km per lane
    for (let i = 0; i < 12; i++) seg.addVehicle({ atMs: now() - 2000, speedMps: 14, trackId: `car-${i}` }, now());
    // the same car seen many times counts once
    for (let i = 0; i < 5; i++) seg.addVehicle({ atMs: now() - 1000, speedMps: 14, trackId: 'car-0' }, now());
    seg.evaluate(now());
    expect(seg.estimate.densityPerKm).toBe(12);
    // a count of 100 vehicles on the whole segment: 100 per km per lane → jammed by density alone, though speeds look free
    seg.addCount({ atMs: now(), vehicles: 100, meanSpeedMps: 13 }, now());
    seg.evaluate(now());
    expect(seg.estimate.densityPerKm).toBe(100);
    // the count's mean speed weighs 100 vehicles against 17 sightings at 14
    expect(seg.estimate.speedMps).toBeCloseTo((17 * 14 + 100 * 13) / 117, 2);
    clock.advance(11_000);
    const change = seg.evaluate(now());
    expect(change).toMatchObject({ previous: 'free', level: 'jammed' });
  });

  it('locates the slow traffic along the segment', () => {
    const clock = new FakeClock();
    const seg = new SegmentLevel(shape);
    for (let i = 0; i < 9; i++) seg.addVehicle({ atMs: clock.nowMs(), speedMps: 18, trackId: `f${i}`, alongM: i * 100 }, clock.nowMs());
    expect(seg.slowAlongM()).toBeNull();
    for (const along of [600, 640, 700]) seg.addVehicle({ atMs: clock.nowMs(), speedMps: 1, trackId: `s${along}`, alongM: along }, clock.nowMs());
    expect(seg.slowAlongM()).toBe(640);
  });
});
