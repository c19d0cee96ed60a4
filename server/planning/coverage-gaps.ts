/**
 * coverageGaps: where a relief schedule leaves a station uncovered during the window, or hands
 * over with less than `minOverlapS` of overlap (the relief should be on station before the
 * incumbent leaves).
 */
export interface GapCheckEntry {
  stationId: string;
  from: string;
  to: string;
}

export interface Gap {
  stationId: string;
  kind: 'uncovered' | 'short-handover';
  from: string;
  to: string;
  durationS: number;
  /** For short handovers: how long both were on station. */
  overlapS?: number;
}

export function coverageGaps(schedule: GapCheckEntry[], stations: { id: string }[], window: { start: string; end: string }, options: { minOverlapS?: number } = {}): Gap[] {
  const t0 = Date.parse(window.start);
  const t1 = Date.parse(window.end);
  const minOverlapMs = (options.minOverlapS ?? 0) * 1000;
  const gaps: Gap[] = [];
  const iso = (ms: number) => new Date(ms).toISOString();
  for (const station of stations) {
    const spans = schedule
      .filter((e) => e.stationId === station.id)
      .map((e) => ({ from: Date.parse(e.from), to: Date.parse(e.to) }))
      .filter((s) => s.to > s.from)
      .sort((a, b) => a.from - b.from);
    let coveredTo = t0;
    for (const s of spans) {
      if (s.from > coveredTo && coveredTo < t1) {
        gaps.push({ stationId: station.id, kind: 'uncovered', from: iso(coveredTo), to: iso(Math.min(s.from, t1)), durationS: (Math.min(s.from, t1) - coveredTo) / 1000 });
      } else if (minOverlapMs > 0 && s.from > t0 && coveredTo < t1 && coveredTo - s.from < minOverlapMs && s.to > coveredTo) {
        gaps.push({ stationId: station.id, kind: 'short-handover', from: iso(s.from), to: iso(coveredTo), durationS: 0, overlapS: (coveredTo - s.from) / 1000 });
      }
      coveredTo = Math.max(coveredTo, s.to);
    }
    if (coveredTo < t1) gaps.push({ stationId: station.id, kind: 'uncovered', from: iso(coveredTo), to: iso(t1), durationS: (t1 - coveredTo) / 1000 });
  }
  return gaps;
}
