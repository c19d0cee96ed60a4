/**
 * A plan's mission, as the vehicle stores it (wire items, ArduPilot home item in front), run by the
 * simulator's own AUTO-mode mission executor with a simple point-mass drone: the DO_JUMP loops go
 * where the planner meant, hovers hold, and the flight ends with RTL.
 */
import { describe, expect, it } from 'vitest';
import { ardupilotCopter } from '../../server/autopilots/ardupilot-copter.ts';
import { toWireItems } from '../../server/fleet/mission-items.ts';
import { plan } from '../../server/planning/index.ts';
import { MissionExecutor } from '../../simulator/autopilot/mission-executor.ts';
import type { NavContext } from '../../simulator/autopilot/nav.ts';
import { LocalFrame as SimFrame } from '../../simulator/geo.ts';
import { at, polygon, square } from './helpers.ts';

function fly(items: ReturnType<typeof plan>['missionItems'], home: { lat: number; lon: number }) {
  const wire = ardupilotCopter.toVehicleMission('mission', toWireItems(items));
  const frame = new SimFrame(home);
  const reached: number[] = [];
  let done = false;
  const executor = new MissionExecutor(() => wire, () => ({ frame, homeAmslM: 0 }), {
    currentChanged: () => {}, reached: (seq) => reached.push(seq), text: () => {}, changeSpeed: () => {}, setYaw: () => {}, setRoi: () => {},
  });
  executor.start(1);
  const position = { northM: 0, eastM: 0, altitudeM: 0 };
  const dtS = 0.2;
  let nowMs = 0;
  for (let step = 0; step < 200_000 && !done; step++) {
    const ctx: NavContext = {
      nowMs, position: { ...position }, onGround: position.altitudeM <= 0.01,
      limits: { horizontalMps: 10, upMps: 2.5, downMps: 1.5, accelMps2: 2.5 }, landSpeedMps: () => 1,
      home: { northM: 0, eastM: 0, altitudeM: 0 }, rtlAltitudeM: 15, rtlCeilingM: 120, rtlLoiterMs: 0, rtlSpeedMps: 10,
    };
    const out = executor.update(ctx);
    position.northM += out.demand.velNorthMps * dtS;
    position.eastM += out.demand.velEastMps * dtS;
    position.altitudeM = Math.max(0, position.altitudeM + out.demand.velUpMps * dtS);
    nowMs += dtS * 1000;
    done = executor.status === 'complete';
  }
  return { wire, reached, done, seconds: nowMs / 1000 };
}

describe('plan missions run by the simulated autopilot', () => {
  it('a 3-loop perimeter flies its loop three times (DO_JUMP after the ArduPilot home shift) and returns', () => {
    const home = at(-300, -300);
    const p = plan({ kind: 'perimeter', area: polygon(square(0, 0, 150)), offsetM: -10, altitudeM: 30, loops: 3, base: home });
    const { wire, reached, done } = fly(p.missionItems, home);
    expect(done).toBe(true);
    const firstCorner = wire.findIndex((w, i) => i > 0 && w.command === 16); // first NAV_WAYPOINT
    const jump = wire.find((w) => w.command === 177)!;
    const loopTarget = jump.param1;
    // the vehicle jumps to the item the planner meant (the loop's second corner)
    const planned = p.missionItems[p.missionItems.find((i) => i.command === 'DO_JUMP')!.params![0]!]!;
    expect(wire[loopTarget]!.x).toBe(Math.round(planned.lat! * 1e7));
    expect(wire[loopTarget]!.y).toBe(Math.round(planned.lon! * 1e7));
    // every corner of the loop after its start is reached once per loop
    const jumpSeq = wire.indexOf(jump);
    for (let seq = loopTarget; seq < jumpSeq; seq++) expect(reached.filter((s) => s === seq)).toHaveLength(3);
    expect(reached.filter((s) => s === firstCorner).length).toBeGreaterThanOrEqual(1);
    expect(reached.at(-1)).toBe(wire.length - 1); // RTL last
  });

  it('a tour hovers at each stop for hoverS and its planned duration matches the flight within 15%', () => {
    const home = at(0, 0);
    const p = plan({ kind: 'tour', points: [at(200, 0), at(200, 300), at(-100, 250)], altitudeM: 20, hoverS: 10, base: home });
    const { done, seconds, wire, reached } = fly(p.missionItems, home);
    expect(done).toBe(true);
    expect(wire.filter((w, i) => i > 0 && w.command === 16).map((w) => w.param1)).toEqual([10, 10, 10]);
    // every NAV item (take-off 22, waypoints 16, RTL 20) after home is reached
    expect(new Set(reached).size).toBe(wire.filter((w, i) => i > 0 && [16, 20, 22].includes(w.command)).length);
    expect(Math.abs(seconds - p.durationS) / p.durationS).toBeLessThan(0.15);
  });
});
