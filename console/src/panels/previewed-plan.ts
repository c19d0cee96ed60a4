/**
 * A plan the traffic tab asks of the server (a road's corridor patrol, a tour over the junctions):
 * previewed on the map with its figures, then assigned to the chosen drones after a confirmation
 * (POST /api/plans/:id/assign, the planning tab's assignment) with each drone's result. Asking
 * again or clearing drops the answer still on its way (a slow reply for the road before is not
 * shown under the next); `asking` lets the host clear another preview drawn on the same map source.
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
  /** A new plan is asked for (before the request): the host clears any other preview. */
  asking?: () => void;
  /** Something changed: the host renders again. */
  changed: () => void;
}

export class PreviewedPlan {
  private plan: Pending<Plan> | null = null;
  private assignment: Pending<Assignment[]> | null = null;
  /** Bumped by clear() and ask(): an answer to an older request is dropped. */
  private token = 0;
  /** This preview's plan is the one drawn on the map. */
  private shown = false;

  constructor(private readonly o: PreviewedPlanOptions) {}

  get sending(): boolean {
    return this.plan?.kind === 'sending';
  }

  /** Forget the preview and any answer on its way (and take it off the map if it was shown). */
  clear(): void {
    this.token++;
    if (this.shown) this.o.showPlan(null);
    this.shown = false;
    this.plan = null;
    this.assignment = null;
  }

  /** Ask for the plan and show it (unless cleared or asked again before the answer came). */
  async ask(request: () => Promise<Plan>): Promise<void> {
    this.o.asking?.();
    this.clear();
    const token = this.token;
    this.plan = { kind: 'sending' };
    this.o.changed();
    const plan = await settle(request());
    if (token !== this.token) return;
    this.plan = plan;
    if (plan.kind === 'done') { this.shown = true; this.o.showPlan(plan.value); }
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
    const token = this.token;
    this.assignment = { kind: 'sending' };
    this.o.changed();
    const assignment = await assignPlan(this.o.api, plan.id, ids);
    if (token !== this.token) return;
    this.assignment = assignment;
    this.o.changed();
  }
}
