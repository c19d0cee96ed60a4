/** Timing and memory helpers shared by the benchmarks. */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

/** Full garbage collection, so one case's garbage is not billed to the next. */
export function gc(): void {
  collect();
}

export function heapMiB(): number {
  return process.memoryUsage().heapUsed / 2 ** 20;
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Deterministic PRNG (mulberry32): the same seed gives the same recorded stream on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CaseResult {
  /** Items per second, one per run. */
  rates: number[];
  /** Largest heap used measured right after a run (MiB). */
  heapMiB: number;
}

/**
 * Run each case `runs` times, interleaved (a1 b1 a2 b2 …) so that load from other processes on a
 * shared machine hits every case alike. Each run starts after a full GC; heap is read right after it.
 * `fn` returns how many items it processed.
 */
export async function interleave(runs: number, cases: Record<string, () => number | Promise<number>>): Promise<Record<string, CaseResult>> {
  const out: Record<string, CaseResult> = {};
  for (const name of Object.keys(cases)) out[name] = { rates: [], heapMiB: 0 };
  for (let i = 0; i < runs; i++) {
    for (const [name, fn] of Object.entries(cases)) {
      gc();
      const t0 = performance.now();
      const items = await fn();
      const seconds = (performance.now() - t0) / 1000;
      const result = out[name]!;
      result.heapMiB = Math.max(result.heapMiB, heapMiB());
      result.rates.push(items / seconds);
    }
  }
  return out;
}

/**
 * Latency of a synchronous call: one full GC, `warmup` unmeasured calls, then `runs` timed ones
 * (p50/p99 by nearest rank, largest heap seen). `gcEach` forces a full GC before every run (V8 then
 * drops compiled code: the cold-path figure).
 */
export function latencyOf(fn: () => unknown, o: { runs: number; warmup: number; gcEach?: boolean }): { p50: number; p99: number; heap: number } {
  gc();
  for (let i = 0; i < o.warmup; i++) fn();
  const times: number[] = [];
  let heap = 0;
  for (let i = 0; i < o.runs; i++) {
    if (o.gcEach) gc();
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
    heap = Math.max(heap, heapMiB());
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]!;
  return { p50: q(0.5), p99: q(0.99), heap };
}
