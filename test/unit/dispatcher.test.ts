import { describe, expect, it } from 'vitest';
import type { Drone } from '../../server/contracts/drone.ts';
import { groundSpeedMps, rankForDispatch } from '../../server/fleet/dispatcher.ts';

const HOME = { lat: 30.4987, lon: 114.4123, altMslM: 23 };
const M = 1 / 111_320;

function drone(id: string, o: { northM: number; altRelM?: number; flying?: boolean; batteryPct?: number; connected?: boolean }): Drone {
  const flying = o.flying ?? false;
  return {
    id, sysid: 1, compid: 1, callsign: id, autopilot: 'ardupilot', vehicleType: 'quadrotor', connected: o.connected ?? true,
    armed: flying, mode: flying ? 'GUIDED' : 'STABILIZE', landed: !flying, systemStatus: 'STANDBY',
    position: { lat: HOME.lat + o.northM * M, lon: HOME.lon, altMslM: 23 + (o.altRelM ?? 0), altRelM: o.altRelM ?? 0 },
    home: HOME, headingDeg: 0, groundSpeedMps: 0, climbMps: 0, attitude: null,
    battery: { remainingPct: o.batteryPct ?? 90, voltageV: 25, currentA: 1 }, gps: { fixType: 3, satellites: 12 },
    mission: { current: 0, count: 0 }, link: { id: 'udp', remote: 'x', packetLossPct: 0, framesIn: 1 }, components: [], statusText: null,
    lastHeartbeatAt: new Date().toISOString(), wind: null, task: null,
  };
}

const target = { lat: HOME.lat + 1000 * M, lon: HOME.lon, altitudeM: 30, watchS: 300 };

describe('dispatcher', () => {
  it('passes over the nearest drone when its battery cannot get there, stay and come back with the reserve', () => {
    const { candidates, rejected } = rankForDispatch([drone('near', { northM: 900, batteryPct: 30 }), drone('far', { northM: 0, batteryPct: 95 })], target, () => null);
    expect(candidates.map((c) => c.droneId)).toEqual(['far']);
    expect(rejected).toEqual([{ droneId: 'near', reason: expect.stringMatching(/^battery 30% < \d+% needed$/) }]);
  });

  it('prefers a farther drone already in the air over a nearer one on the ground when it arrives first', () => {
    const { candidates } = rankForDispatch([drone('ground', { northM: 850 }), drone('air', { northM: 750, altRelM: 30, flying: true })], target, () => null);
    expect(candidates.map((c) => c.droneId)).toEqual(['air', 'ground']);
    expect(candidates[0]!.etaS).toBeLessThan(candidates[1]!.etaS);
    const { candidates: again } = rankForDispatch([drone('ground', { northM: 950 }), drone('air', { northM: 300, altRelM: 30, flying: true })], target, () => null);
    expect(again[0]!.droneId).toBe('ground');
  });

  it('never picks a busy drone or one whose link is lost', () => {
    const { candidates, rejected } = rankForDispatch([drone('busy', { northM: 990 }), drone('lost', { northM: 990, connected: false }), drone('free', { northM: 0 })], target, (d) => (d.id === 'busy' ? 'on another task' : null));
    expect(candidates.map((c) => c.droneId)).toEqual(['free']);
    expect(rejected.map((r) => r.reason)).toEqual(['on another task', 'link lost']);
  });

  it('flies slower into the wind and faster with it: ground speed from the reported wind (from-direction)', () => {
    const fromNorth = { speedMps: 5, fromDeg: 0 };
    expect(groundSpeedMps(10, 0, fromNorth)).toBeCloseTo(5, 6); // heading north into it
    expect(groundSpeedMps(10, 180, fromNorth)).toBeCloseTo(15, 6); // heading south, wind behind
    expect(groundSpeedMps(10, 90, fromNorth)).toBeCloseTo(Math.sqrt(75), 6); // crabbing across it
    expect(groundSpeedMps(10, 0, { speedMps: 12, fromDeg: 0 })).toBe(2.5); // floor: a quarter of the airspeed
    expect(groundSpeedMps(10, 0, null)).toBe(10);
  });

  it('prefers the drone with the wind behind it over one as far away that would fly into the wind', () => {
    const windy = (d: Drone): Drone => ({ ...d, wind: { speedMps: 6, fromDeg: 0 } });
    // the target is 1000 m north of home: one drone 500 m south of it (flies north, into the wind), one 500 m north (flies south, wind behind)
    const { candidates } = rankForDispatch([windy(drone('upwind-leg', { northM: 500 })), windy(drone('downwind-leg', { northM: 1500 }))], target, () => null);
    expect(candidates.map((c) => c.droneId)).toEqual(['downwind-leg', 'upwind-leg']);
    expect(candidates[1]!.etaS - candidates[0]!.etaS).toBeGreaterThan(500 / 4 - 500 / 16 - 1);
  });
});

describe('transit to a scene', () => {
  it('goes round a no-fly zone, but refuses a scene outside the operating area or above the ceiling', async () => {
    const { transit } = await import('../../server/fleet/transit.ts');
    const sq = (c: { lat: number; lon: number }, m: number) => ({ type: 'Polygon' as const, coordinates: [[[c.lon - m * M, c.lat - m * M], [c.lon + m * M, c.lat - m * M], [c.lon + m * M, c.lat + m * M], [c.lon - m * M, c.lat + m * M], [c.lon - m * M, c.lat - m * M]]] });
    const mid = { lat: HOME.lat + 500 * M, lon: HOME.lon };
    const airspace = { operatingArea: sq(HOME, 2000), noFly: [{ id: 'roof', polygon: sq(mid, 100) }], ceilingM: 120 };
    const round = transit(HOME, { lat: HOME.lat + 1000 * M, lon: HOME.lon }, airspace, 40);
    expect(round.ok && round.lengthM > 1000 && round.path.length > 1).toBe(true);
    const outside = transit(HOME, { lat: HOME.lat + 3000 * M, lon: HOME.lon }, airspace, 40);
    expect(outside).toMatchObject({ ok: false, reason: expect.stringMatching(/^leaves-operating-area/) });
    expect(transit(HOME, { lat: HOME.lat + 100 * M, lon: HOME.lon }, airspace, 150)).toMatchObject({ ok: false, reason: expect.stringMatching(/^above-ceiling/) });
  });
});
