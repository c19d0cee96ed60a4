/** Assigning a stored plan to drones (POST /api/plans/:id/assign) and each drone's result: shared by planning and traffic's corridor patrol. */
import type { ApiClient } from '../api/client.ts';
import type { Assignment } from '../api/types.ts';
import { t } from '../i18n/index.ts';
import type { ConsoleStore } from '../state/store.ts';
import { h, raw } from './dom.ts';
import { errorView } from './error.ts';
import { settle, type Pending } from './form.ts';
import { errorLabel, partLabel } from './format.ts';

export function assignPlan(api: ApiClient, planId: string, droneIds: string[]): Promise<Pending<Assignment[]>> {
  return settle(api.post<{ assignments: Assignment[] }>(`/api/plans/${encodeURIComponent(planId)}/assign`, { droneIds }).then((r) => r.assignments));
}

/** The assignment's state: sending, refused, or a row per drone. */
export function assignResults(store: ConsoleStore, a: Pending<Assignment[]> | null): HTMLElement | null {
  if (a?.kind === 'sending') return h('p', { class: 'muted' }, t('plan.assigning'));
  if (a?.kind === 'error') return errorView(t('plan.assign'), a.error);
  if (a?.kind !== 'done') return null;
  return h('table', { class: 'results', 'data-test': 'assign-results' },
    h('tbody', {}, ...a.value.map((x) => h('tr', { 'data-drone': x.droneId, 'data-result': x.result },
      h('td', {}, raw(store.drones.get(x.droneId)?.callsign ?? x.droneId)),
      h('td', {}, partLabel(x.part, () => 0)),
      h('td', { class: x.result === 'started' ? 'ok' : 'bad' }, t(`assign.${x.result}`)),
      h('td', {}, x.error ? errorLabel(x.error.code) : '', x.error ? ' ' : '', x.error ? raw(x.error.message) : null)))));
}
