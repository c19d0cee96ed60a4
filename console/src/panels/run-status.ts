/** An overwatch run (GET /api/plans/:id/run): per station who holds it, covered or not, and the next relief. */
import type { RunStatus, Station } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import type { ConsoleStore } from '../state/store.ts';
import { h, raw } from './dom.ts';
import { clockText, durationText } from './format.ts';

export function runStatusView(status: RunStatus, stations: Station[], store: ConsoleStore): HTMLElement {
  const callsign = (id: string | null) => (id ? raw(store.drones.get(id)?.callsign ?? id) : t('drone.unknown'));
  const number = (id: string) => stations.findIndex((s) => s.id === id) + 1;
  return h('div', { class: 'run-status', 'data-test': 'run-status', 'data-state': status.state },
    h('p', {}, h('strong', {}, t(`run.state.${status.state}`)), ' · ',
      t('run.sorties', { done: status.sorties.done, total: status.sorties.total, replacements: status.sorties.replacements })),
    h('table', { class: 'results' },
      h('thead', {}, h('tr', {}, h('th', {}, t('run.col.station')), h('th', {}, t('run.col.holder')), h('th', {}, t('run.col.covered')), h('th', {}, t('run.col.next')))),
      h('tbody', {}, ...status.stations.map((s) => h('tr', { 'data-station': s.stationId, 'data-covered': String(s.covered) },
        h('td', {}, t('ow.station', { n: number(s.stationId) })),
        h('td', { 'data-test': 'holder' }, callsign(s.holder)),
        h('td', { class: s.covered ? 'ok' : 'bad' }, s.covered ? t('run.covered') : t('run.uncovered'),
          h('small', { class: 'muted', style: 'display:block;font-weight:normal' }, t('run.coveredFor', { covered: durationText(s.coveredS), gap: durationText(s.uncoveredS) }))),
        h('td', {}, ...(s.nextRelief ? [clockText(s.nextRelief.launchAt), ' ', callsign(s.nextRelief.droneId)] : [t('drone.unknown')])))))));
}
