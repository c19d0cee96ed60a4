/**
 * The traffic level of one road segment, from what was seen on it. Pure: samples in, level changes
 * out; time comes in as `nowMs` arguments (the service passes its injected clock's time).
 *
 *   samples (last windowS, default 60 s)
 *     ├─ per-vehicle sightings: speedMps, trackId ──┐
 *     └─ segment counts: vehicles, meanSpeedMps ────┤
 *                                                   ▼
 *   mean speed v̄ (each sighting weighs 1, a count weighs its vehicles)   density k (veh/km/lane)
 *   ratio r = v̄ / freeFlowMps                                            = max(latest count / km / lanes,
 *                                                                             distinct tracks in 10 s / km / lanes)
 *
 *            r ≥ 0.70        r ≥ 0.45          r ≥ 0.20           r < 0.20
 *   speed:   free     │      slow       │      congested   │      jammed
 *   density: k < 35   │      k ≥ 35     │      k ≥ 55      │      k ≥ 85
 *                     b0                b1                 b2          (b = boundary)
 *
 *   candidate = the worse of the speed level and the density level, where each boundary is a
 *   Schmitt trigger: from its better side it is crossed only MARGIN beyond the threshold (r below
 *   t − 0.05, k above d · 1.1), from its worse side only MARGIN back (r at or above t + 0.05,
 *   k below d · 0.9).
 *
 *   adopted level: a level worse (better) than the current one is adopted once the candidate has
 *   been at least (at most) that level at every evaluation for dwellS (default 20 s). The furthest
 *   such level is adopted. While the candidate is still beyond it (a jam building fast), the service
 *   waits for the further level to hold its own dwell and adopts that one directly (one event, not
 *   three within seconds), but not longer than a second dwell. A building jam thus goes
 *   free → slow → congested → jammed (slowly) or free → jammed (quickly), never back and forth.
 *
 *   no data: when nothing was seen within the window, the candidate is free (reason "no-data"),
 *   adopted after the same dwell; the segment reports `observed: false`.
 *
 * A signal that wanders around a threshold by less than the margin never changes the level; one that
 * dips past it for less than the dwell does not either. Hence no flicker.
 */

export const LEVELS = ['free', 'slow', 'congested', 'jammed'] as const;
export type Level = (typeof LEVELS)[number];

export interface LevelRule {
  /** Samples older than this are forgotten (s). */
  windowS: number;
  /** A new level must hold this long before it is adopted (s). */
  dwellS: number;
  /** Speed ratio at or above each value: better than the boundary (free|slow, slow|congested, congested|jammed). */
  speedRatios: readonly [number, number, number];
  /** How far past a speed boundary the ratio must go (absolute ratio). */
  speedMargin: number;
  /** Density (vehicles per km per lane) at or above each value: worse than the boundary. */
  densityPerKm: readonly [number, number, number];
  /** How far past a density boundary (a fraction of the threshold). */
  densityMarginFraction: number;
  /** Per-vehicle density counts distinct tracks seen within this many seconds (s). */
  densityRecentS: number;
}

export const DEFAULT_RULE: LevelRule = {
  windowS: 60,
  dwellS: 20,
  speedRatios: [0.7, 0.45, 0.2],
  speedMargin: 0.05,
  densityPerKm: [35, 55, 85],
  densityMarginFraction: 0.1,
  densityRecentS: 10,
};

export interface SegmentShape {
  lengthM: number;
  lanes: number;
  freeFlowMps: number;
}

export interface VehicleSample {
  atMs: number;
  speedMps: number;
  trackId: string;
  /** Where on the segment (m from its first point), for locating a jam. */
  alongM?: number;
}

export interface CountSample {
  atMs: number;
  vehicles: number;
  meanSpeedMps?: number;
}

export interface SegmentEstimate {
  speedMps: number | null;
  speedRatio: number | null;
  densityPerKm: number | null;
  samples: number;
  observed: boolean;
}

export interface LevelChange {
  level: Level;
  previous: Level;
  atMs: number;
  estimate: SegmentEstimate;
  reason: 'observed' | 'no-data';
}

const rank = (l: Level) => LEVELS.indexOf(l);

/** The level from a speed ratio, each boundary crossed only past the margin seen from `current`. */
export function speedLevel(ratio: number, current: Level, rule: LevelRule = DEFAULT_RULE): Level {
  let level = 0;
  for (let b = 0; b < 3; b++) {
    const t = rule.speedRatios[b]!;
    const onWorseSide = rank(current) > b;
    const crossed = onWorseSide ? ratio < t + rule.speedMargin : ratio < t - rule.speedMargin;
    if (!crossed) break;
    level = b + 1;
  }
  return LEVELS[level]!;
}

/** The level from a density, each boundary crossed only past the margin seen from `current`. */
export function densityLevel(perKm: number, current: Level, rule: LevelRule = DEFAULT_RULE): Level {
  let level = 0;
  for (let b = 0; b < 3; b++) {
    const d = rule.densityPerKm[b]!;
    const onWorseSide = rank(current) > b;
    const crossed = onWorseSide ? perKm >= d * (1 - rule.densityMarginFraction) : perKm >= d * (1 + rule.densityMarginFraction);
    if (!crossed) break;
    level = b + 1;
  }
  return LEVELS[level]!;
}

/** The level the thresholds alone give (no margins, no dwell): for docs, tests and the console. */
export function rawLevel(ratio: number | null, perKm: number | null, rule: LevelRule = DEFAULT_RULE): Level {
  const noMargin = { ...rule, speedMargin: 0, densityMarginFraction: 0 };
  const s = ratio === null ? 0 : rank(speedLevel(ratio, 'free', noMargin));
  const d = perKm === null ? 0 : rank(densityLevel(perKm, 'free', noMargin));
  return LEVELS[Math.max(s, d)]!;
}

export class SegmentLevel {
  readonly rule: LevelRule;
  private shape: SegmentShape;
  private vehicles: VehicleSample[] = [];
  private counts: CountSample[] = [];
  private current: Level = 'free';
  private sinceMs: number | null = null;
  private evaluatedMs: number | null = null;
  private last: SegmentEstimate = { speedMps: null, speedRatio: null, densityPerKm: null, samples: 0, observed: false };
  private candidate: Level = 'free';
  /** Per level other than the current one: since when every evaluation's candidate reached it. */
  private heldSince = new Map<number, number>();

  constructor(shape: SegmentShape, rule: Partial<LevelRule> = {}) {
    this.rule = { ...DEFAULT_RULE, ...rule };
    this.shape = shape;
  }

  /** The road changed (length, lanes, free-flow speed); samples are kept. */
  setShape(shape: SegmentShape): void {
    this.shape = shape;
  }

  get level(): Level {
    return this.current;
  }

  /** When the current level was adopted (null: the initial free). */
  get adoptedAtMs(): number | null {
    return this.sinceMs;
  }

  get evaluatedAtMs(): number | null {
    return this.evaluatedMs;
  }

  get estimate(): SegmentEstimate {
    return this.last;
  }

  /** A level the candidate has reached but that has not yet held for the dwell, and since when. */
  get pending(): { level: Level; sinceMs: number } | null {
    if (this.candidate === this.current) return null;
    const since = this.heldSince.get(rank(this.candidate));
    return since === undefined ? null : { level: this.candidate, sinceMs: since };
  }

  /**
   * Where the slow traffic is: the median position along the segment of the sightings in the
   * window slower than `maxRatio` of free flow (default: the slow|congested boundary); null when none.
   */
  slowAlongM(maxRatio = this.rule.speedRatios[1]): number | null {
    const along = this.vehicles.filter((s) => s.alongM !== undefined && s.speedMps < maxRatio * this.shape.freeFlowMps).map((s) => s.alongM!).sort((a, b) => a - b);
    return along.length ? along[Math.floor(along.length / 2)]! : null;
  }

  /** Returns false (and keeps nothing) for a sample already outside the window at `nowMs`. */
  addVehicle(s: VehicleSample, nowMs: number): boolean {
    if (s.atMs <= nowMs - this.rule.windowS * 1000) return false;
    this.vehicles.push(s);
    return true;
  }

  addCount(c: CountSample, nowMs: number): boolean {
    if (c.atMs <= nowMs - this.rule.windowS * 1000) return false;
    this.counts.push(c);
    return true;
  }

  /** Re-estimate at `nowMs` (called every second or so); a level change when one was adopted. */
  evaluate(nowMs: number): LevelChange | null {
    const fromMs = nowMs - this.rule.windowS * 1000;
    this.vehicles = this.vehicles.filter((s) => s.atMs > fromMs);
    this.counts = this.counts.filter((c) => c.atMs > fromMs);
    const est = this.estimateNow(nowMs);
    this.last = rounded(est);
    this.evaluatedMs = nowMs;

    const cur = rank(this.current);
    let cand = 0;
    if (est.observed) {
      const s = est.speedRatio === null ? 0 : rank(speedLevel(est.speedRatio, this.current, this.rule));
      const d = est.densityPerKm === null ? 0 : rank(densityLevel(est.densityPerKm, this.current, this.rule));
      cand = Math.max(s, d);
    }
    this.candidate = LEVELS[cand]!;
    for (let l = 0; l < LEVELS.length; l++) {
      if (l === cur) continue;
      const reached = l > cur ? cand >= l : cand <= l;
      if (!reached) this.heldSince.delete(l);
      else if (!this.heldSince.has(l)) this.heldSince.set(l, nowMs);
    }
    const dwellMs = this.rule.dwellS * 1000;
    const heldMs = (l: number) => { const since = this.heldSince.get(l); return since === undefined ? -1 : nowMs - since; };
    const dir = Math.sign(cand - cur);
    let next = cur;
    for (let l = cand; dir !== 0 && l !== cur; l -= dir) {
      if (heldMs(l) < dwellMs) continue;
      // the furthest level that held; while the candidate is still beyond it, wait (up to a second dwell) to adopt the further one directly
      if (l === cand || heldMs(l) >= 2 * dwellMs) next = l;
      break;
    }
    if (next === cur) return null;

    const previous = this.current;
    this.current = LEVELS[next]!;
    this.sinceMs = nowMs;
    // levels further on in the same direction keep their running dwell; the rest start again
    for (const l of [...this.heldSince.keys()]) if (next > cur ? l <= next : l >= next) this.heldSince.delete(l);
    return { level: this.current, previous, atMs: nowMs, estimate: this.last, reason: est.observed ? 'observed' : 'no-data' };
  }

  private estimateNow(nowMs: number): SegmentEstimate {
    let weight = 0;
    let sum = 0;
    for (const s of this.vehicles) { weight += 1; sum += s.speedMps; }
    for (const c of this.counts) if (c.meanSpeedMps !== undefined && c.vehicles > 0) { weight += c.vehicles; sum += c.meanSpeedMps * c.vehicles; }
    const samples = this.vehicles.length + this.counts.length;
    if (samples === 0) return { speedMps: null, speedRatio: null, densityPerKm: null, samples: 0, observed: false };
    const speedMps = weight > 0 ? sum / weight : null;
    const perKmLane = 1000 / Math.max(1, this.shape.lengthM) / Math.max(1, this.shape.lanes);
    let latestCount: CountSample | null = null;
    for (const c of this.counts) if (!latestCount || c.atMs >= latestCount.atMs) latestCount = c;
    const recentFromMs = nowMs - this.rule.densityRecentS * 1000;
    const recentTracks = new Set(this.vehicles.filter((s) => s.atMs > recentFromMs).map((s) => s.trackId)).size;
    const densityPerKm = Math.max(latestCount ? latestCount.vehicles * perKmLane : 0, recentTracks * perKmLane);
    return { speedMps, speedRatio: speedMps === null ? null : speedMps / this.shape.freeFlowMps, densityPerKm, samples, observed: true };
  }
}

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
const rounded = (e: SegmentEstimate): SegmentEstimate => ({ ...e, speedMps: round2(e.speedMps), speedRatio: round2(e.speedRatio), densityPerKm: round2(e.densityPerKm) });
