/**
 * Latency histogram with 1 ms buckets (up to 5 s, then one overflow bucket): recording is one array
 * increment, so it can sit on the send path of every telemetry entry.
 */
const BUCKETS = 5000;

export class LatencyHistogram {
  private counts = new Uint32Array(BUCKETS + 1);
  private n = 0;
  private max = 0;

  record(ms: number): void {
    const b = ms <= 0 ? 0 : ms >= BUCKETS ? BUCKETS : Math.floor(ms);
    this.counts[b]!++;
    this.n++;
    if (ms > this.max) this.max = ms;
  }

  get count(): number {
    return this.n;
  }

  /** The p-th percentile (0–100) in ms: the upper edge of the bucket it falls in; null when empty. */
  percentile(p: number): number | null {
    if (this.n === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    let seen = 0;
    for (let b = 0; b <= BUCKETS; b++) {
      seen += this.counts[b]!;
      if (seen >= rank) return b === BUCKETS ? this.max : b + 1;
    }
    return this.max;
  }

  summary(): { count: number; p50Ms: number | null; p99Ms: number | null; maxMs: number | null } {
    return { count: this.n, p50Ms: this.percentile(50), p99Ms: this.percentile(99), maxMs: this.n ? this.max : null };
  }

  reset(): void {
    this.counts = new Uint32Array(BUCKETS + 1);
    this.n = 0;
    this.max = 0;
  }
}
