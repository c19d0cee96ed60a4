/** One row of the `npm run bench` table. Every benchmark file exports `run(): Promise<BenchRow[]>`. */
export interface BenchRow {
  /** e.g. "decode", "encode", "simulator". */
  suite: string;
  /** What was measured, e.g. "eagle-eye datagram decoder" or "node-mavlink stream pipeline". */
  case: string;
  /** Main figure (e.g. frames/s) and its unit. */
  value: number;
  unit: string;
  /** value / baseline value, when this row is compared with a baseline measured in the same run. */
  ratio?: number;
  /** Name of the baseline case the ratio is against. */
  baseline?: string;
  /** Latency percentiles, when the benchmark measures latency (ms). */
  p50Ms?: number;
  p99Ms?: number;
  /** Peak resident or heap memory (MiB) during the case. */
  memoryMiB?: number;
  /** How many runs the figure is the median of. */
  runs: number;
  /** Anything else a reader needs (e.g. "0 good frames lost"). */
  notes?: string;
}
