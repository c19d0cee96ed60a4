import { describe, expect, it } from 'vitest';
import { DwellTracker, type DwellZone } from '../../server/warnings/dwell-tracker.ts';

// A temporary stopping lane at the expo's east exit (approximate shape).
const LANE: DwellZone = {
  id: 'lane-east', maxDwellS: 120,
  geometry: { type: 'Polygon', coordinates: [[[114.4140, 30.5000], [114.4146, 30.5000], [114.4146, 30.5002], [114.4140, 30.5002], [114.4140, 30.5000]]] },
};
const IN = { lat: 30.5001, lon: 114.4143 };
const OUT = { lat: 30.5010, lon: 114.4143 };
const t0 = Date.UTC(2026, 10, 29, 10, 0, 0);
const at = (s: number) => t0 + s * 1000;

describe('DwellTracker', () => {
  it('reports an overstay once, when the vehicle has been seen inside longer than the zone allows', () => {
    const dwell = new DwellTracker([LANE]);
    expect(dwell.ingest([{ trackId: 'A1', ...IN, atMs: at(0) }, { trackId: 'A1', ...IN, atMs: at(60) }]).overstays).toEqual([]);
    const up = dwell.ingest([{ trackId: 'A1', ...IN, atMs: at(121) }]);
    expect(up.overstays).toMatchObject([{ trackId: 'A1', zoneId: 'lane-east', dwellS: 121, sinceMs: at(0) }]);
    expect(dwell.ingest([{ trackId: 'A1', ...IN, atMs: at(200) }]).overstays).toEqual([]);
  });

  it('places late sightings by their own time: an early one extends the stay, stale ones change nothing', () => {
    const dwell = new DwellTracker([LANE]);
    dwell.ingest([{ trackId: 'B2', ...IN, atMs: at(50) }, { trackId: 'B2', ...IN, atMs: at(100) }]);
    // a camera's batch arrives late with an earlier sighting: the stay began at 0, so it now overstays
    const late = dwell.ingest([{ trackId: 'B2', ...IN, atMs: at(0) }, { trackId: 'B2', ...IN, atMs: at(130) }]);
    expect(late.overstays).toMatchObject([{ trackId: 'B2', dwellS: 130 }]);
    // an outside sighting older than the last inside one is stale: the car is still there
    const stale = dwell.ingest([{ trackId: 'B2', ...OUT, atMs: at(90) }]);
    expect(stale).toMatchObject({ departures: [], stale: 1 });
    expect(dwell.stayOf('B2', 'lane-east')).toBeDefined();
  });

  it('ends a stay on a newer sighting outside, and ignores older inside sightings after the exit', () => {
    const dwell = new DwellTracker([LANE]);
    dwell.ingest([{ trackId: 'C3', ...IN, atMs: at(0) }, { trackId: 'C3', ...IN, atMs: at(30) }]);
    const left = dwell.ingest([{ trackId: 'C3', ...OUT, atMs: at(40) }]);
    expect(left.departures).toEqual([{ trackId: 'C3', zoneId: 'lane-east', atMs: at(40), dwellS: 30 }]);
    expect(dwell.ingest([{ trackId: 'C3', ...IN, atMs: at(35) }]).stale).toBe(1);
    expect(dwell.stayOf('C3', 'lane-east')).toBeUndefined();
    // a new visit starts a new stay
    dwell.ingest([{ trackId: 'C3', ...IN, atMs: at(300) }]);
    expect(dwell.stayOf('C3', 'lane-east')).toMatchObject({ firstInsideMs: at(300) });
  });

  it('sorts a batch by time and ignores low-confidence detections', () => {
    const dwell = new DwellTracker([LANE]);
    const up = dwell.ingest([
      { trackId: 'D4', ...IN, atMs: at(150) },
      { trackId: 'D4', ...IN, atMs: at(0) },
      { trackId: 'X9', ...IN, atMs: at(0), confidence: 0.2 },
      { trackId: 'X9', ...IN, atMs: at(500), confidence: 0.2 },
    ]);
    expect(up.overstays.map((o) => o.trackId)).toEqual(['D4']);
    expect(dwell.stayOf('X9', 'lane-east')).toBeUndefined();
  });

  it('expires stays not seen for a while, as departures', () => {
    const dwell = new DwellTracker([LANE]);
    dwell.ingest([{ trackId: 'E5', ...IN, atMs: at(0) }, { trackId: 'E5', ...IN, atMs: at(20) }]);
    expect(dwell.expire(at(10))).toEqual([]);
    expect(dwell.expire(at(600))).toEqual([{ trackId: 'E5', zoneId: 'lane-east', atMs: at(20), dwellS: 20 }]);
  });
});
