/**
 * An overwatch plan's relief schedule as a timeline: one row per station, one bar per sortie (the
 * drone slot's number on it) from when it is on station to when it leaves, its transit out drawn
 * lighter before it; a time axis over the event window; a "now" line while the plan runs.
 */
import type { ScheduleEntry, Station } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import { h } from './dom.ts';
import { clockText } from './format.ts';

const TICK_MIN = [5, 10, 15, 30, 60, 120, 240, 480];

export interface TimelineInput {
  stations: Station[];
  schedule: ScheduleEntry[];
  window: { startMs: number; endMs: number };
  /** Now, on the plan's clock, while it runs. */
  nowMs?: number | null;
}

/** A slot's colour: well spread hues, the same for a slot in every row. */
export function slotColor(slot: number): string {
  return `hsl(${(slot * 137) % 360} 55% 42%)`;
}

export function timeline(input: TimelineInput): HTMLElement {
  const { startMs, endMs } = input.window;
  const span = Math.max(1, endMs - startMs);
  const pct = (ms: number) => `${Math.min(100, Math.max(0, ((ms - startMs) / span) * 100)).toFixed(3)}%`;
  const width = (a: number, b: number) => `${Math.max(0.3, ((Math.min(b, endMs) - Math.max(a, startMs)) / span) * 100).toFixed(3)}%`;
  const stepMin = TICK_MIN.find((m) => span / (m * 60_000) <= 6) ?? 480;
  const ticks: number[] = [];
  for (let ms = Math.ceil(startMs / (stepMin * 60_000)) * stepMin * 60_000; ms <= endMs; ms += stepMin * 60_000) ticks.push(ms);

  const axis = h('div', { class: 'tl-track tl-axis' }, ...ticks.map((ms) => h('span', { class: 'tl-tick', style: `left:${pct(ms)}` }, clockText(ms))));
  const nowLine = () => (input.nowMs != null ? h('i', { class: 'tl-now', style: `left:${pct(input.nowMs)}` }) : null);
  const rows = input.stations.map((s, i) => {
    const bars = input.schedule.filter((e) => e.stationId === s.id).flatMap((e) => {
      const from = Date.parse(e.from);
      const to = Date.parse(e.to);
      const launch = e.launchAt ? Date.parse(e.launchAt) : from;
      const title = t('ow.bar', { slot: e.drone, from: clockText(from), to: clockText(to) });
      return [
        launch < from ? h('i', { class: 'tl-transit', style: `left:${pct(launch)};width:${width(launch, from)};--c:${slotColor(e.drone)}` }) : null,
        h('b', { class: 'tl-bar', 'data-slot': e.drone, title, style: `left:${pct(from)};width:${width(from, to)};--c:${slotColor(e.drone)}` }, String(e.drone)),
      ];
    });
    return [h('span', { class: 'tl-label' }, t('ow.station', { n: i + 1 })), h('div', { class: 'tl-track', 'data-station': s.id }, ...bars, nowLine())];
  });
  return h('div', { class: 'timeline', 'data-test': 'timeline' },
    h('span', { class: 'tl-label' }), axis,
    ...rows.flat(),
    h('small', { class: 'tl-legend muted' }, t('ow.timelineHint')));
}
