/**
 * A plan the traffic tab asks of the server (a road's corridor patrol, a tour over the junctions):
 * previewed on the map with its figures, then assigned to the chosen drones after a confirmation
 * (POST /api/plans/:id/assign, the planning tab's assignment) with each drone's result.
 */
import type { ApiClient } from '../api/client.ts';
import type { Assignment, Plan } from '../api/types.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { ConsoleStore } from '../state/store.ts';
import { assignPlan, assignResults } from './assign.ts';
import { confirmDialog } from './confirm.ts';
import { h } from './dom.ts';
import { errorView } from './error.ts';
import { settle, type Pending } from './form.ts';
import { planFigures } from './plan-figures.ts';

export interface PreviewedPlanOptions {
  api: ApiClient;
  store: ConsoleStore;
  /** The preview's data-test and its assign button's data-command. */
  test: string;
  assignCommand: string;
  /** The plan's kind in the confirmation, and what a refusal is titled. */
  kindLabel: MessageKey;
  errorTitle: MessageKey;
  /** Draw the plan on the map (null: clear). */
  showPlan: (plan: Plan | null) => void;
  /** Something changed: the host renders again. */
  changed: () => void;
}

export class PreviewedPlan {
  private plan: Pending<Plan> | null = null;
  private assignment: Pending<Assignment[]> | null = null;

  constructor(private readonly o: PreviewedPlanOptions) {}

  get sending(): boolean {
    return this.plan?.kind === 'sending';
  }

  /** Forget the preview (and take it off the map if it was shown). */
  clear(): void {
    if (this.plan?.kind === 'done') this.o.showPlan(null);
    this.plan = null;
    this.assignment = null;
  }

  /** Ask for the plan and show it. */
  async ask(request: () => Promise<Plan>): Promise<void> {
    this.plan = { kind: 'sending' };
    this.assignment = null;
    this.o.changed();
    this.plan = await settle(request());
    this.o.showPlan(this.plan.kind === 'done' ? this.plan.value : null);
    this.o.changed();
  }

  /** The state of the request: planning, refused, or the figures with the assign button and results. */
  view(droneIds: string[]): HTMLElement | null {
    const p = this.plan;
    if (p?.kind === 'sending') return h('p', { class: 'muted' }, t('trf.planning'));
    if (p?.kind === 'error') return errorView(t(this.o.errorTitle), p.error);
    if (p?.kind !== 'done') return null;
    return h('div', { 'data-test': this.o.test, 'data-plan': p.value.id }, planFigures(p.value),
      h('div', { class: 'row' }, h('button', { type: 'button', class: 'primary', 'data-command': this.o.assignCommand,
        disabled: droneIds.length === 0 || this.assignment?.kind === 'sending', onclick: () => void this.assign(p.value, droneIds) }, t('plan.assign'))),
      assignResults(this.o.store, this.assignment));
  }

  private async assign(plan: Plan, ids: string[]): Promise<void> {
    const names = ids.map((id) => this.o.store.drones.get(id)?.callsign ?? id).join(', ');
    if (!(await confirmDialog(t('confirm.assign', { n: ids.length, ids: names, kind: t(this.o.kindLabel) })))) return;
    this.assignment = { kind: 'sending' };
    this.o.changed();
    this.assignment = await assignPlan(this.o.api, plan.id, ids);
    this.o.changed();
  }
}
