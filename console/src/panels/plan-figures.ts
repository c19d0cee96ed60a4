/** A plan's figures (length, flight time, battery, sorties or stations) and the planner's notes. */
import type { Plan } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import { h, raw } from './dom.ts';
import { distanceText, durationText } from './format.ts';

export function planFigures(plan: Plan): HTMLElement {
  const rows: Array<[string, string, string]> = plan.kind === 'overwatch'
    ? [
      ['stations', t('fig.stations'), String(plan.stations?.length ?? 0)],
      ['fleet', t('fig.fleet'), t('fig.fleetValue', { n: plan.fleetSize ?? 0, bound: plan.fleetBound ?? 0 })],
      ['sorties', t('fig.sorties'), String(plan.schedule?.length ?? 0)],
      ['battery', t('fig.sortieBattery'), t('unit.pct', { v: Math.round(plan.batteryPct) })],
      ['length', t('fig.transit'), distanceText(plan.lengthM)],
    ]
    : [
      ['length', t('fig.length'), distanceText(plan.lengthM)],
      ['duration', t('fig.duration'), durationText(plan.durationS)],
      ['battery', t('fig.battery'), t('unit.pct', { v: Math.round(plan.batteryPct) })],
      ['sorties', t('fig.sorties'), String(Math.max(1, plan.sorties?.length ?? 1))],
    ];
  return h('div', { class: 'figures', 'data-test': 'plan-figures' },
    h('dl', {}, ...rows.flatMap(([key, label, value]) => [h('dt', {}, label), h('dd', { 'data-figure': key }, value)])),
    plan.warnings.length ? h('div', { class: 'warnings', 'data-test': 'plan-warnings' },
      h('strong', {}, t('fig.warnings')),
      // the planner's own words, as it wrote them
      h('ul', {}, ...plan.warnings.map((w) => h('li', {}, raw(w))))) : null);
}
