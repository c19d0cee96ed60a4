/** Drive a lockstep fleet the way time passes for a ground station: step, heartbeat, check, with a deadline. */
import type { SimFleet } from '../../../simulator/index.ts';
import type { TestGcs } from './gcs.ts';

export interface RunOptions {
  /** Give up after this much simulated time. */
  maxSimMs: number;
  chunkMs?: number;
  /** Send a GCS heartbeat every simulated second (default true). */
  heartbeat?: boolean;
}

/** Let datagrams in flight on loopback arrive. */
export async function settle(): Promise<void> {
  await new Promise((r) => setTimeout(r, 1));
  await new Promise((r) => setImmediate(r));
}

export async function runFor(fleet: SimFleet, gcs: TestGcs | null, simMs: number, heartbeat = true, chunkMs = 200): Promise<void> {
  let sinceBeat = Infinity;
  for (let t = 0; t < simMs; t += chunkMs) {
    if (gcs && heartbeat && sinceBeat >= 1000) { gcs.heartbeat(); sinceBeat = 0; await settle(); }
    await fleet.step(Math.min(chunkMs, simMs - t));
    sinceBeat += chunkMs;
    await settle();
  }
}

/** Steps until `condition()` holds; returns the simulated ms it took. Throws past the deadline. */
export async function runUntil(fleet: SimFleet, gcs: TestGcs | null, condition: () => boolean, o: RunOptions): Promise<number> {
  const chunkMs = o.chunkMs ?? 200;
  let sinceBeat = Infinity;
  for (let t = 0; t <= o.maxSimMs; t += chunkMs) {
    if (condition()) return t;
    if (gcs && (o.heartbeat ?? true) && sinceBeat >= 1000) { gcs.heartbeat(); sinceBeat = 0; await settle(); }
    await fleet.step(chunkMs);
    sinceBeat += chunkMs;
    await settle();
  }
  if (condition()) return o.maxSimMs;
  throw new Error(`condition not met within ${o.maxSimMs} simulated ms`);
}
