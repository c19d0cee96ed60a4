/**
 * Response figures: how long incidents waited for a drone, per period and per kind, beside the
 * time a ground unit typically takes. Pure: incident timings and options in, rows out; no clock
 * (periods come from the incidents' own report times).
 *
 * - An incident belongs to the period (and kind) of its report time, in the given time zone.
 * - `incidents` counts every incident of the row; the stats count only the incidents that have
 *   the end of the interval (dispatched, resp. on scene). An incident never dispatched is in
 *   neither stat, even when it has an on-scene time (a record that cannot be trusted).
 * - An interval that would be negative (an end stamped before the report: clock skew, a bad
 *   edit) is left out of its stat rather than dragging the figures below zero.
 * - Rows exist only for (period, kind) pairs that have incidents; no incidents, no rows.
 */

export interface IncidentTiming {
  kind: string;
  reportedAtMs: number;
  dispatchedAtMs: number | null;
  onSceneAtMs: number | null;
}

export interface ResponseFigureOptions {
  period: 'day' | 'week' | 'all';
  /** ground unit's typical report→on-scene time, seconds, per kind (key '*' = any kind) */
  groundUnitS: Record<string, number>;
  /** Minutes east of UTC for day and week boundaries (default +480, China Standard Time). */
  tzOffsetMin?: number;
}

export interface ResponseStats {
  count: number;
  medianS: number | null;
  p90S: number | null;
}

export interface ResponseRow {
  /** '2026-11-29' (day), '2026-W48' (ISO week) or 'all'. */
  period: string;
  /** An incident kind, or '*' for all kinds together. */
  kind: string;
  incidents: number;
  reportToDispatch: ResponseStats;
  reportToOnScene: ResponseStats;
  /** The ground unit's typical report→on-scene time for this kind (the kind's own, else '*'). */
  groundUnitS: number | null;
  /** ground unit time minus drone median report→on-scene (positive = drones faster) */
  savedS: number | null;
}

export const DEFAULT_TZ_OFFSET_MIN = 480;
export const ALL_KINDS = '*';

const MS_PER_MIN = 60_000;
const MS_PER_DAY = 86_400_000;

export function responseFigures(incidents: IncidentTiming[], opts: ResponseFigureOptions): ResponseRow[] {
  const tzOffsetMin = opts.tzOffsetMin ?? DEFAULT_TZ_OFFSET_MIN;
  const groups = new Map<string, { period: string; kind: string; members: IncidentTiming[] }>();
  const add = (period: string, kind: string, incident: IncidentTiming) => {
    const key = `${period}\u0000${kind}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { period, kind, members: [] }));
    g.members.push(incident);
  };
  incidents.forEach((incident, i) => {
    if (!Number.isFinite(incident.reportedAtMs)) throw new RangeError(`incident ${i}: reportedAtMs is not a finite number`);
    const period = periodOf(incident.reportedAtMs, opts.period, tzOffsetMin);
    add(period, ALL_KINDS, incident);
    if (incident.kind !== ALL_KINDS) add(period, incident.kind, incident);
  });
  const rows = [...groups.values()].map(({ period, kind, members }) => rowOf(period, kind, members, opts.groundUnitS));
  return rows.sort((a, b) => compareText(a.period, b.period) || compareKinds(a.kind, b.kind));
}

function rowOf(period: string, kind: string, members: IncidentTiming[], groundUnit: Record<string, number>): ResponseRow {
  const toDispatchS: number[] = [];
  const toSceneS: number[] = [];
  for (const m of members) {
    if (m.dispatchedAtMs === null) continue;
    const dispatchS = (m.dispatchedAtMs - m.reportedAtMs) / 1000;
    if (dispatchS >= 0) toDispatchS.push(dispatchS);
    if (m.onSceneAtMs === null) continue;
    const sceneS = (m.onSceneAtMs - m.reportedAtMs) / 1000;
    if (sceneS >= 0) toSceneS.push(sceneS);
  }
  const reportToOnScene = statsOf(toSceneS);
  const groundUnitS = groundUnitFor(kind, groundUnit);
  return {
    period,
    kind,
    incidents: members.length,
    reportToDispatch: statsOf(toDispatchS),
    reportToOnScene,
    groundUnitS,
    savedS: groundUnitS !== null && reportToOnScene.medianS !== null ? groundUnitS - reportToOnScene.medianS : null,
  };
}

/** The kind's own figure, else the '*' figure, else null (the '*' row uses the '*' figure). */
function groundUnitFor(kind: string, groundUnit: Record<string, number>): number | null {
  const own = Object.hasOwn(groundUnit, kind) ? groundUnit[kind] : undefined;
  if (own !== undefined && Number.isFinite(own)) return own;
  const any = Object.hasOwn(groundUnit, ALL_KINDS) ? groundUnit[ALL_KINDS] : undefined;
  return any !== undefined && Number.isFinite(any) ? any : null;
}

export function statsOf(valuesS: number[]): ResponseStats {
  const sorted = [...valuesS].sort((a, b) => a - b);
  return { count: sorted.length, medianS: percentile(sorted, 0.5), p90S: percentile(sorted, 0.9) };
}

/**
 * Percentile by linear interpolation between closest ranks (Hyndman & Fan type 7: numpy's default,
 * Excel's PERCENTILE.INC, R's quantile default). For n sorted values x[0..n-1] and p in [0, 1]:
 * h = (n - 1) p, and the percentile is x[⌊h⌋] + (h - ⌊h⌋) (x[⌊h⌋ + 1] - x[⌊h⌋]). So the median of an
 * even count is the mean of the middle two, and p90 of [10, 20, 30, 40] is 30 + 0.7 × 10 = 37.
 * Null for no values.
 */
export function percentile(sortedAscending: readonly number[], p: number): number | null {
  const n = sortedAscending.length;
  if (n === 0) return null;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const below = sortedAscending[lo]!;
  if (lo + 1 >= n) return below;
  return below + (h - lo) * (sortedAscending[lo + 1]! - below);
}

/** The period an instant falls in, at tzOffsetMin minutes east of UTC. */
export function periodOf(atMs: number, period: ResponseFigureOptions['period'], tzOffsetMin: number = DEFAULT_TZ_OFFSET_MIN): string {
  if (period === 'all') return 'all';
  // The local wall-clock date, read with UTC getters from an instant shifted by the offset.
  const local = new Date(atMs + tzOffsetMin * MS_PER_MIN);
  if (period === 'day') return `${pad(local.getUTCFullYear(), 4)}-${pad(local.getUTCMonth() + 1, 2)}-${pad(local.getUTCDate(), 2)}`;
  return isoWeekOf(local);
}

/**
 * ISO 8601 week of a date (read from its UTC fields): weeks start on Monday, and week 1 is the
 * week with the year's first Thursday, so the week's year is the year of its Thursday
 * (2026-12-31, a Thursday, is 2026-W53; 2027-01-03, a Sunday, is 2026-W53 as well).
 */
function isoWeekOf(date: Date): string {
  const dayStartMs = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const mondayBased = (date.getUTCDay() + 6) % 7;
  const thursday = new Date(dayStartMs + (3 - mondayBased) * MS_PER_DAY);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * MS_PER_DAY));
  return `${pad(year, 4)}-W${pad(week, 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Code-unit order: the same on every machine and locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKinds(a: string, b: string): number {
  if (a === b) return 0;
  if (a === ALL_KINDS) return -1;
  if (b === ALL_KINDS) return 1;
  return compareText(a, b);
}
