import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { coverageGaps, plan, PlanSchema, type OverwatchRequest } from '../../server/planning/index.ts';
import { requestOf, type FixtureInput } from './golden-io.ts';
import { VALLEY } from './helpers.ts';

const here = dirname(fileURLToPath(import.meta.url));
const concert = requestOf(JSON.parse(readFileSync(join(here, 'fixtures/in/overwatch-concert.geojson'), 'utf8')) as FixtureInput) as OverwatchRequest;

describe('overwatch', () => {
  const p = plan(concert);

  it('stations cover every point of interest within their footprint radius', () => {
    concert.pois.forEach((poi, i) => {
      const holders = p.stations.filter((s) => s.covers.includes(i));
      expect(holders.length).toBeGreaterThan(0);
      for (const s of holders) {
        const d = Math.hypot(...(VALLEY.fromLatLon(poi).map((v, k) => v - VALLEY.fromLatLon(s)[k]!) as [number, number]));
        expect(d).toBeLessThanOrEqual(s.radiusM + 0.1);
      }
    });
  });

  it('the relief schedule covers every station for the whole window, handing over with the margin', () => {
    expect(coverageGaps(p.schedule, p.stations, concert.window, { minOverlapS: 59.99 })).toEqual([]);
    expect(p.schedule[0]!.from).toBe(concert.window.start);
  });

  it('needs fewer drones than the bound m·(⌈R⌉+1)', () => {
    expect(p.fleetBound).toBe(p.stations.length * (Math.ceil(p.recoveryRatio) + 1));
    expect(p.fleetSize).toBeLessThan(p.fleetBound);
  });

  it('is a valid Plan (PlanSchema)', () => {
    if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => !Number.isNaN(Date.parse(v)));
    expect(Value.Check(PlanSchema, p)).toBe(true);
  });

  it('gives each station a sortie mission: take-off, loiter on station for its time, RTL', () => {
    const m = p.stationMissions[0]!;
    expect(m.missionItems.map((i) => i.command)).toEqual(['NAV_TAKEOFF', 'DO_CHANGE_SPEED', 'NAV_LOITER_TIME', 'NAV_RETURN_TO_LAUNCH']);
    expect(m.missionItems[2]!.params![0]).toBe(p.stations[0]!.activeS);
  });

  it('with a no-fly zone between base and venue, transits go round it and the schedule still has no gap', () => {
    const base = VALLEY.fromLatLon(concert.bases[0]!);
    // a 300 m wall across the straight way from the base (south-west of the venue) to the middle
    const mid: [number, number] = [base[0] / 2, base[1] / 2];
    const wall = { id: 'wall', polygon: { type: 'Polygon' as const, coordinates: [[[-150, -40], [150, -40], [150, 40], [-150, 40], [-150, -40]].map(([x, y]) => {
      const a = Math.atan2(base[1], base[0]) + Math.PI / 2;
      return VALLEY.toPosition([mid[0] + x! * Math.cos(a) - y! * Math.sin(a), mid[1] + x! * Math.sin(a) + y! * Math.cos(a)]);
    })] } };
    const airspace = { noFly: [wall] };
    const routed = plan(concert, { airspace });
    const centre = routed.stations.find((s) => s.covers.includes(6))!; // the POI in the middle
    const straight = Math.hypot(...(VALLEY.fromLatLon(centre).map((v, k) => v - base[k]!) as [number, number]));
    expect(centre.transitM).toBeGreaterThan(straight + 1);
    expect(coverageGaps(routed.schedule, routed.stations, concert.window, { minOverlapS: 59.99 })).toEqual([]);
    const m = routed.stationMissions.find((x) => x.stationId === centre.id)!;
    expect(m.missionItems.filter((i) => i.command === 'NAV_WAYPOINT').length).toBeGreaterThan(0);
  });

  it('coverageGaps finds an uncovered stretch and a handover without overlap', () => {
    const window = { start: '2026-01-01T10:00:00.000Z', end: '2026-01-01T11:00:00.000Z' };
    const schedule = [
      { stationId: 'S1', from: '2026-01-01T10:00:00.000Z', to: '2026-01-01T10:20:00.000Z' },
      { stationId: 'S1', from: '2026-01-01T10:25:00.000Z', to: '2026-01-01T10:45:00.000Z' },
      { stationId: 'S1', from: '2026-01-01T10:45:00.000Z', to: '2026-01-01T11:00:00.000Z' },
    ];
    expect(coverageGaps(schedule, [{ id: 'S1' }, { id: 'S2' }], window, { minOverlapS: 60 })).toEqual([
      { stationId: 'S1', kind: 'uncovered', from: '2026-01-01T10:20:00.000Z', to: '2026-01-01T10:25:00.000Z', durationS: 300 },
      { stationId: 'S1', kind: 'short-handover', from: '2026-01-01T10:45:00.000Z', to: '2026-01-01T10:45:00.000Z', durationS: 0, overlapS: 0 },
      { stationId: 'S2', kind: 'uncovered', from: '2026-01-01T10:00:00.000Z', to: '2026-01-01T11:00:00.000Z', durationS: 3600 },
    ]);
  });
});
