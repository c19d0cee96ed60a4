/** Faults on a drone's radio link: a full drop until some time, and random packet loss (seeded). */
import type { Prng } from '../prng.ts';

export class LinkConditions {
  downUntilMs = -Infinity;
  lossFraction = 0;
  droppedIn = 0;
  droppedOut = 0;

  constructor(private readonly rng: Prng) {}

  /** Whether a datagram survives the link now (each call is one datagram, one direction). */
  passes(nowMs: number, direction: 'in' | 'out'): boolean {
    let ok = nowMs >= this.downUntilMs;
    if (ok && this.lossFraction > 0) ok = this.rng.next() >= this.lossFraction;
    if (!ok) { if (direction === 'in') this.droppedIn++; else this.droppedOut++; }
    return ok;
  }
}
