/**
 * The stored plans (GET /api/plans), newest first, each with a switch that shows its routes (or an
 * overwatch's footprints) on the map as the "plans and patrol routes" layer. For every role.
 */
import type { ApiClient } from '../api/client.ts';
import type { Plan, PlanSummary } from '../api/types.ts';
import { t, tMaybe } from '../i18n/index.ts';
import type { MapAdapter } from '../map/adapter.ts';
import { storedPlanFeatures } from '../map/plan-features.ts';
import { fill, h, raw } from './dom.ts';
import { clockText, distanceText, durationText } from './format.ts';

const SHOWN = 20;

export class PlansList {
  readonly el = h('div', { class: 'plans-list', 'data-test': 'plans-list' });
  private plans: PlanSummary[] | null = null;
  private failed = false;
  private readonly onMap = new Set<string>();
  private readonly loaded = new Map<string, Plan>();

  constructor(private readonly api: ApiClient, private readonly map: () => MapAdapter | null) {}

  async reload(): Promise<void> {
    try {
      this.plans = (await this.api.get<{ plans: PlanSummary[] }>('/api/plans')).plans;
      this.failed = false;
    } catch {
      this.failed = true;
    }
    this.render();
  }

  render(): void {
    if (this.plans === null && !this.failed) { this.el.replaceChildren(h('h3', {}, t('plans.title')), h('p', { class: 'muted' }, t('plans.loading'))); void this.reload(); return; }
    const plans = (this.plans ?? []).slice(0, SHOWN);
    const allOn = plans.length > 0 && plans.every((p) => this.onMap.has(p.id));
    fill(this.el,
      h('h3', {}, t('plans.title')),
      this.failed ? h('p', { class: 'error' }, t('plans.failed')) : null,
      plans.length === 0 ? h('p', { class: 'muted' }, t('plans.none')) : h('label', { class: 'check' },
        h('input', { type: 'checkbox', checked: allOn, 'data-test': 'plans-all', onchange: (e: Event) => void this.showAll(plans, (e.target as HTMLInputElement).checked) }), ' ', t('plans.showAll')),
      h('ul', { class: 'plans' }, ...plans.map((p) => h('li', {},
        h('label', { class: 'check' },
          h('input', { type: 'checkbox', checked: this.onMap.has(p.id), 'data-plan': p.id, onchange: (e: Event) => void this.show(p.id, (e.target as HTMLInputElement).checked) }), ' ',
          h('strong', {}, tMaybe(`kind.${p.kind}`) ?? p.kind), ' ',
          h('span', { class: 'muted' }, clockText(p.createdAt), ' · ', raw(p.createdBy), ' · ', distanceText(p.lengthM), ' · ', durationText(p.durationS)))))));
  }

  private async showAll(plans: PlanSummary[], on: boolean): Promise<void> {
    for (const p of plans) { if (on) this.onMap.add(p.id); else this.onMap.delete(p.id); }
    await this.draw();
    this.render();
  }

  private async show(id: string, on: boolean): Promise<void> {
    if (on) this.onMap.add(id); else this.onMap.delete(id);
    await this.draw();
    this.render();
  }

  private async draw(): Promise<void> {
    const missing = [...this.onMap].filter((id) => !this.loaded.has(id));
    await Promise.all(missing.map(async (id) => {
      try { this.loaded.set(id, await this.api.get<Plan>(`/api/plans/${encodeURIComponent(id)}`)); } catch { this.onMap.delete(id); }
    }));
    this.map()?.setData('plans', storedPlanFeatures([...this.onMap].flatMap((id) => this.loaded.get(id) ?? [])));
  }
}
