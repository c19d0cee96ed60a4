import { describe, expect, it } from 'vitest';
import { percentile, periodOf, responseFigures, type IncidentTiming } from '../../server/incidents/response-figures.ts';

/** Beijing wall-clock time (UTC+8) → epoch ms. */
const cst = (iso: string) => Date.parse(`${iso}+08:00`);

/** An incident reported at `at` (Beijing time), dispatched and on scene so many seconds later. */
function incident(kind: string, at: string, dispatchS: number | null, sceneS: number | null = null): IncidentTiming {
  const reportedAtMs = cst(at);
  return {
    kind,
    reportedAtMs,
    dispatchedAtMs: dispatchS === null ? null : reportedAtMs + dispatchS * 1000,
    onSceneAtMs: sceneS === null ? null : reportedAtMs + sceneS * 1000,
  };
}

describe('percentile (linear interpolation between closest ranks)', () => {
  it('matches hand-computed values: h = (n - 1) p between x[⌊h⌋] and x[⌊h⌋ + 1]', () => {
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(25); // h = 1.5
    expect(percentile([10, 20, 30, 40], 0.9)).toBeCloseTo(37, 10); // h = 2.7: 30 + 0.7 × 10
    expect(percentile([10, 20, 30, 40, 50], 0.5)).toBe(30); // h = 2
    expect(percentile([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46, 10); // h = 3.6: 40 + 0.6 × 10
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('periods', () => {
  it('cuts days at local midnight in China time by default, and in any offset given', () => {
    // 23:30 on the 29th in Beijing is 15:30 UTC on the 29th; 00:30 on the 30th is 16:30 UTC on the 29th
    expect(periodOf(cst('2026-11-29T23:30:00'), 'day')).toBe('2026-11-29');
    expect(periodOf(cst('2026-11-30T00:30:00'), 'day')).toBe('2026-11-30');
    expect(periodOf(cst('2026-11-30T00:30:00'), 'day', 0)).toBe('2026-11-29');
  });

  it('numbers weeks the ISO way: Monday first, the week belongs to the year of its Thursday', () => {
    expect(periodOf(cst('2026-11-29T12:00:00'), 'week')).toBe('2026-W48'); // a Sunday
    expect(periodOf(cst('2026-11-30T00:10:00'), 'week')).toBe('2026-W49'); // the next Monday, just after midnight
    expect(periodOf(cst('2026-12-31T12:00:00'), 'week')).toBe('2026-W53');
    expect(periodOf(cst('2027-01-03T12:00:00'), 'week')).toBe('2026-W53');
    expect(periodOf(cst('2027-01-04T12:00:00'), 'week')).toBe('2027-W01');
    expect(periodOf(cst('2025-12-29T12:00:00'), 'week')).toBe('2026-W01'); // a Monday in December
  });
});

describe('responseFigures', () => {
  const groundUnitS = { burglary: 600, '*': 480 };

  it('gives per-kind and all-kinds rows per day, sorted by period then kind with * first', () => {
    const rows = responseFigures([
      incident('theft', '2026-11-30T09:00:00', 30, 200),
      incident('burglary', '2026-11-29T10:00:00', 20, 100),
      incident('burglary', '2026-11-29T11:00:00', 40, 300),
      incident('assault', '2026-11-29T12:00:00', 10, 150),
    ], { period: 'day', groundUnitS });
    expect(rows.map((r) => [r.period, r.kind, r.incidents])).toEqual([
      ['2026-11-29', '*', 3], ['2026-11-29', 'assault', 1], ['2026-11-29', 'burglary', 2],
      ['2026-11-30', '*', 1], ['2026-11-30', 'theft', 1],
    ]);
    const burglary = rows[2]!;
    expect(burglary.reportToDispatch).toEqual({ count: 2, medianS: 30, p90S: 38 }); // 20 + 0.9 × 20
    expect(burglary.reportToOnScene).toEqual({ count: 2, medianS: 200, p90S: 280 }); // 100 + 0.9 × 200
    expect(burglary).toMatchObject({ groundUnitS: 600, savedS: 400 });
    const all29 = rows[0]!;
    expect(all29.reportToOnScene).toEqual({ count: 3, medianS: 150, p90S: 270 }); // [100,150,300]: h = 1.8
    expect(all29).toMatchObject({ groundUnitS: 480, savedS: 330 });
  });

  it('counts never-dispatched incidents in incidents but not in either stat', () => {
    const [all] = responseFigures([
      incident('theft', '2026-11-29T09:00:00', 60, 240),
      incident('theft', '2026-11-29T09:10:00', null),
      incident('theft', '2026-11-29T09:20:00', null, 90), // on scene without a dispatch: not trusted
      incident('theft', '2026-11-29T09:30:00', 30, null), // dispatched, never arrived
    ], { period: 'all', groundUnitS: {} });
    expect(all).toMatchObject({
      period: 'all', kind: '*', incidents: 4,
      reportToDispatch: { count: 2, medianS: 45 },
      reportToOnScene: { count: 1, medianS: 240, p90S: 240 },
      groundUnitS: null, savedS: null,
    });
  });

  it('leaves null stats and no saving for a row where nothing was dispatched', () => {
    const rows = responseFigures([incident('noise', '2026-11-29T22:00:00', null)], { period: 'all', groundUnitS });
    expect(rows[1]).toEqual({
      period: 'all', kind: 'noise', incidents: 1,
      reportToDispatch: { count: 0, medianS: null, p90S: null }, reportToOnScene: { count: 0, medianS: null, p90S: null },
      groundUnitS: 480, savedS: null,
    });
  });

  it('reports a negative saving when drones are slower than the ground unit', () => {
    const rows = responseFigures([incident('burglary', '2026-11-29T10:00:00', 60, 700)], { period: 'week', groundUnitS });
    expect(rows.find((r) => r.kind === 'burglary')).toMatchObject({ period: '2026-W48', groundUnitS: 600, savedS: -100 });
  });

  it('groups incidents either side of local midnight into different days and ISO weeks', () => {
    const late = incident('theft', '2026-11-29T23:59:00', 10, 100); // Sunday, week 48
    const early = incident('theft', '2026-11-30T00:01:00', 10, 100); // Monday, week 49
    expect(responseFigures([late, early], { period: 'week', groundUnitS }).map((r) => `${r.period} ${r.kind}`))
      .toEqual(['2026-W48 *', '2026-W48 theft', '2026-W49 *', '2026-W49 theft']);
    // at UTC both fall on the 29th
    expect(responseFigures([late, early], { period: 'day', groundUnitS, tzOffsetMin: 0 }).map((r) => `${r.period} ${r.kind} ${r.incidents}`))
      .toEqual(['2026-11-29 * 2', '2026-11-29 theft 2']);
  });

  it('leaves out of the stats an interval that ends before the report (clock skew)', () => {
    const [all] = responseFigures([incident('theft', '2026-11-29T09:00:00', -5, 120)], { period: 'all', groundUnitS });
    expect(all).toMatchObject({ incidents: 1, reportToDispatch: { count: 0 }, reportToOnScene: { count: 1, medianS: 120 } });
  });

  it('returns no rows for no incidents', () => {
    expect(responseFigures([], { period: 'all', groundUnitS })).toEqual([]);
  });
});
