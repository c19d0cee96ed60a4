/**
 * The ground crew of a simulated overwatch: the simulator has no battery swap, so this swaps the
 * battery of every drone that is on the ground and disarmed with a used pack (under 95 %: a fresh pack, as
 * the crew at the base would fit). The overwatch runner still waits the plan's swap time before
 * it flies the drone again. It reaches into the simulator's vehicle state (test/demo use only).
 */
import type { SimFleet } from '../../simulator/index.ts';
import { freshBattery } from '../../simulator/physics/battery.ts';
import type { VehicleState } from '../../simulator/physics/state.ts';

export function startBatteryCrew(sim: SimFleet, opts: { everyMs?: number } = {}): { swaps: number; stop(): void } {
  const crew = { swaps: 0, stop: () => timer.cancel() };
  const timer = sim.world.clock.setInterval(() => {
    for (const d of sim.drones) {
      const t = d.truth();
      if (!t.onGround || t.armed || t.battery.remainingPct > 95) continue;
      const inside = d as unknown as { state: VehicleState };
      inside.state = { ...inside.state, battery: freshBattery(d.airframe.battery) };
      crew.swaps++;
    }
  }, opts.everyMs ?? 1000);
  return crew;
}
