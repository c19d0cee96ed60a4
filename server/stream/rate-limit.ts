/**
 * Per-drone update rate limit for one client: GCRA (a token bucket kept as one number, the
 * "theoretical arrival time"). An update may go at `now` when now ≥ tat − TOLERANCE; sending sets
 * tat = max(tat, now) + interval with interval = (1000 + TOLERANCE) / maxHz.
 *
 * Why this is "at most maxHz per second" in every sliding window (t − 1000 ms, t]: n updates
 * s1 < … < sn allowed by the rule satisfy sn ≥ s1 + (n − 1)·interval − TOLERANCE, so
 * n − 1 ≤ (sn − s1 + TOLERANCE) / interval < (1000 + TOLERANCE) / interval = maxHz.
 *
 * The tolerance lets two changes a few tens of ms apart (position at 5 Hz and attitude at 4 Hz on
 * the vehicle's own schedule) both go without waiting a whole interval, which keeps latency low;
 * a drone that changes faster than maxHz is coalesced to a steady maxHz · 1000 / (1000 + TOLERANCE).
 */
export const MAX_HZ = 10;
export const TOLERANCE_MS = 100;

export function intervalMs(maxHz: number): number {
  return (1000 + TOLERANCE_MS) / maxHz;
}

/** May an update go now? `tatMs` is 0 (or anything ≤ now) before the first update. */
export function rateAllows(tatMs: number, nowMs: number): boolean {
  return nowMs >= tatMs - TOLERANCE_MS;
}

/** The new tat after an update sent at `nowMs`. */
export function afterSend(tatMs: number, nowMs: number, maxHz: number): number {
  return Math.max(tatMs, nowMs) + intervalMs(maxHz);
}
