/** Placing sightings on road segments (server/traffic/road-matcher.ts) and finding junctions. */
import { describe, expect, it } from 'vitest';
import { findJunctions } from '../../server/traffic/junctions.ts';
import { bearingDiffDeg, headingFits, lineLengthM, RoadMatcher } from '../../server/traffic/road-matcher.ts';

const BASE = { lat: 30.4987, lon: 114.4123 };
const M_LAT = 1 / 111_195;
const M_LON = 1 / (111_195 * Math.cos((BASE.lat * Math.PI) / 180));
/** [lon, lat] `north`/`east` metres from the base. */
const at = (northM: number, eastM: number): [number, number] => [BASE.lon + eastM * M_LON, BASE.lat + northM * M_LAT];
const ll = (northM: number, eastM: number) => { const [lon, lat] = at(northM, eastM); return { lat, lon }; };

// an east-west avenue (both ways), and two one-way carriageways 8 m apart running north (forward) and south (backward)
const avenue = { id: 'avenue', coordinates: [at(0, -500), at(0, 0), at(0, 500)], direction: 'both' as const };
const northbound = { id: 'nb', coordinates: [at(-300, 200), at(300, 200)], direction: 'forward' as const };
const southbound = { id: 'sb', coordinates: [at(-300, 208), at(300, 208)], direction: 'backward' as const };

describe('matching sightings to road segments', () => {
  const matcher = new RoadMatcher([avenue, northbound, southbound]);

  it('takes the nearest road within 15 m, and nothing farther', () => {
    expect(matcher.match({ ...ll(6, -250), speedMps: 12 })).toMatchObject({ roadId: 'avenue' });
    expect(matcher.match({ ...ll(6, -250), speedMps: 12 })!.distanceM).toBeCloseTo(6, 0);
    expect(matcher.match({ ...ll(6, -250), speedMps: 12 })!.alongM).toBeCloseTo(250, 0);
    expect(matcher.match({ ...ll(14, -250) })).toMatchObject({ roadId: 'avenue' });
    expect(matcher.match({ ...ll(16, -250) })).toBeNull();
    expect(matcher.match({ ...ll(0, -520) })).toBeNull(); // 20 m beyond the road's end
  });

  it('checks a moving vehicle\'s heading against the direction of travel', () => {
    // on the two-way avenue, east or west both fit; north does not
    expect(matcher.match({ ...ll(2, -250), speedMps: 12, headingDeg: 88 })?.roadId).toBe('avenue');
    expect(matcher.match({ ...ll(2, -250), speedMps: 12, headingDeg: 272 })?.roadId).toBe('avenue');
    expect(matcher.match({ ...ll(2, -250), speedMps: 12, headingDeg: 0 })).toBeNull();
    // between the carriageways (4 m from each) the heading decides
    expect(matcher.match({ ...ll(100, 204), speedMps: 12, headingDeg: 3 })?.roadId).toBe('nb');
    expect(matcher.match({ ...ll(100, 204), speedMps: 12, headingDeg: 178 })?.roadId).toBe('sb');
    // a vehicle southbound seen right over the northbound carriageway goes to the southbound one, 8 m away
    expect(matcher.match({ ...ll(100, 200), speedMps: 12, headingDeg: 180 })?.roadId).toBe('sb');
    // a standing vehicle's heading is not trusted: the nearest road wins
    expect(matcher.match({ ...ll(100, 201), speedMps: 0, headingDeg: 180 })?.roadId).toBe('nb');
    // crossing a junction: a northbound car on the avenue's line is not counted on the avenue
    expect(matcher.match({ ...ll(0, 201), speedMps: 10, headingDeg: 0 })?.roadId).toBe('nb');
  });

  it('measures angles and direction fits with wrap-around', () => {
    expect(bearingDiffDeg(350, 10)).toBe(20);
    expect(bearingDiffDeg(10, 350)).toBe(20);
    expect(bearingDiffDeg(0, 180)).toBe(180);
    expect(headingFits('forward', 355, 20, 60)).toBe(true);
    expect(headingFits('forward', 355, 175, 60)).toBe(false);
    expect(headingFits('backward', 355, 175, 60)).toBe(true);
    expect(headingFits('both', 90, 280, 60)).toBe(true);
  });

  it('measures roads and finds points along them', () => {
    expect(lineLengthM(avenue.coordinates)).toBeCloseTo(1000, -1);
    expect(matcher.lengthM('avenue')).toBeCloseTo(1000, -1);
    const p = matcher.pointAlong('avenue', 750)!;
    const want = ll(0, 250);
    expect(Math.abs(p.lat - want.lat) / M_LAT).toBeLessThan(1);
    expect(Math.abs(p.lon - want.lon) / M_LON).toBeLessThan(1);
    expect(matcher.pointAlong('nowhere', 1)).toBeNull();
  });

  it('finds junctions: crossings, and a road that ends just short of another', () => {
    const side = { id: 'side', coordinates: [at(-4, -120), at(300, -120)], direction: 'both' as const }; // ends 4 m short of the avenue
    const junctions = findJunctions([avenue, northbound, side]);
    expect(junctions).toHaveLength(2);
    const byRoads = new Map(junctions.map((j) => [j.roadIds.join('+'), j]));
    const crossing = byRoads.get('avenue+nb')!;
    expect(Math.abs(crossing.lat - BASE.lat) / M_LAT).toBeLessThan(1);
    expect(Math.abs(crossing.lon - ll(0, 200).lon) / M_LON).toBeLessThan(1);
    const tee = byRoads.get('avenue+side')!;
    expect(Math.abs(tee.lon - ll(0, -120).lon) / M_LON).toBeLessThan(1);
  });
});
