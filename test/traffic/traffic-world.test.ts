/** The simulated traffic (simulator/scenario/traffic-world.ts): repeatable, on its roads, jammed on schedule. */
import { describe, expect, it } from 'vitest';
import { RoadMatcher } from '../../server/traffic/road-matcher.ts';
import { LocalFrame } from '../../simulator/geo.ts';
import { EXPO_JAM_STRETCH, EXPO_ROADS, expoJams } from '../../simulator/scenario/expo.ts';
import { TrafficWorld, type SimRoad } from '../../simulator/scenario/traffic-world.ts';

const roads: SimRoad[] = EXPO_ROADS.map((r) => ({ id: r.key, coordinates: r.geometry.coordinates, direction: r.direction, freeFlowMps: r.freeFlowMps, lanes: r.lanes }));
const jam = { roadId: 'ew-avenue', ...EXPO_JAM_STRETCH, startS: 60, buildS: 30, holdS: 120, clearS: 30 };

describe('simulated traffic', () => {
  it('gives the same vehicles for the same seed, whatever the order of the questions', () => {
    const a = new TrafficWorld(roads, [jam], { seed: 5 });
    const b = new TrafficWorld(roads, [jam], { seed: 5 });
    const c = new TrafficWorld(roads, [jam], { seed: 6 });
    a.at(30);
    expect(a.at(100)).toEqual(b.at(100));
    expect(a.at(50)).toEqual(b.at(50)); // back in time: replayed
    expect(c.at(100)).not.toEqual(b.at(100));
  });

  it('keeps every vehicle on its road, heading its road\'s way, so the server places it there', () => {
    const world = new TrafficWorld(roads, [jam], { seed: 2 });
    const matcher = new RoadMatcher(roads.map((r) => ({ id: r.id, coordinates: r.coordinates, direction: r.direction })));
    for (const t of [0, 45, 150, 400]) {
      const vehicles = world.at(t);
      expect(vehicles.length).toBeGreaterThan(50);
      const wrong = vehicles.filter((v) => matcher.match(v)?.roadId !== v.roadId);
      expect(wrong, `t=${t}`).toEqual([]);
    }
    // the one-way ring road has its traffic going one way only
    const ring = world.at(100).filter((v) => v.roadId === 'venue-ring');
    expect(ring.length).toBeGreaterThan(5);
  });

  it('slows the stretch to a crawl while the jam holds, queues traffic behind it, and recovers after it clears', () => {
    const world = new TrafficWorld(roads, [jam], { seed: 3 });
    const center = new LocalFrame(world.jamCenter(jam));
    const near = (t: number) => world.at(t).filter((v) => v.roadId === 'ew-avenue' && Math.hypot(center.toNorthEast(v).northM, center.toNorthEast(v).eastM) <= 60);
    const mean = (xs: { speedMps: number }[]) => xs.reduce((a, v) => a + v.speedMps, 0) / xs.length;
    const before = near(50);
    expect(mean(before)).toBeGreaterThan(14);
    expect(world.phase(jam, 50)).toBe('before');
    expect(world.phase(jam, 75)).toBe('building');
    expect(world.phase(jam, 150)).toBe('holding');
    expect(world.intensity('ew-avenue', 150, 900)).toBe(1);
    expect(world.intensity('ew-avenue', 150, 100)).toBe(0);
    const holding = near(200);
    expect(mean(holding)).toBeLessThan(0.1 * 16.7);
    const countBefore = world.counts(50).find((c) => c.roadId === 'ew-avenue')!;
    const countHolding = world.counts(200).find((c) => c.roadId === 'ew-avenue')!;
    expect(countHolding.vehicles).toBeGreaterThan(countBefore.vehicles * 1.4);
    expect(countHolding.meanSpeedMps!).toBeLessThan(countBefore.meanSpeedMps! / 2);
    expect(world.phase(jam, 300)).toBe('over');
    expect(mean(near(330))).toBeGreaterThan(14);
    // the other roads never jam
    expect(world.counts(200).find((c) => c.roadId === 'ns-avenue')!.meanSpeedMps!).toBeGreaterThan(14);
  });

  it('repeats the demo jam on its schedule', () => {
    const [demo] = expoJams('ew-avenue');
    const world = new TrafficWorld(roads, [demo!]);
    expect(world.phase(demo!, 0)).toBe('before');
    expect(world.phase(demo!, 250)).toBe('building');
    expect(world.phase(demo!, 400)).toBe('holding');
    expect(world.phase(demo!, 900)).toBe('over');
    expect(world.phase(demo!, 1200 + 250)).toBe('building');
    expect(() => new TrafficWorld(roads, [{ ...demo!, roadId: 'nowhere' }])).toThrow(/jam on road nowhere: no such road/);
  });
});
