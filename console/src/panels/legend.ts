/** Map legend: the demo scene, the drone colours, which basemap, and that the shapes are approximate. */
import { t } from '../i18n/index.ts';
import { STATE_COLORS, TRAFFIC_COLORS } from '../map/colors.ts';
import type { DroneState } from '../state/store.ts';
import { h } from './dom.ts';
import { stateLabel } from './format.ts';

export function legend(library: 'maplibre' | 'mapbox'): HTMLElement {
  const swatch = (color: string, label: string, round = false) => h('li', {}, h('i', { style: `background:${color}`, class: round ? 'round' : '' }), label);
  return h('div', { class: 'legend', 'data-test': 'legend' },
    h('strong', {}, t('map.legend')),
    h('ul', {},
      ...(Object.keys(STATE_COLORS) as DroneState[]).map((s) => swatch(STATE_COLORS[s], stateLabel(s), true)),
      swatch('#dfe7f3', t('legend.base')),
      swatch('#d9c2ea', t('legend.venue')),
      swatch('#ffd54a', t('legend.stop')),
      swatch('rgba(214,40,40,0.4)', t('legend.nofly')),
      swatch('rgba(224,176,0,0.4)', t('legend.zone')),
      swatch('#c2185b', t('legend.advisory'), true),
      swatch('#6a1b9a', t('legend.route')),
      swatch('#455a9c', t('legend.plans')),
      swatch('rgba(0,121,107,0.5)', t('legend.station'), true),
      swatch('#b71c1c', t('legend.incident'), true),
      swatch('#00838f', t('legend.preposition'), true),
      swatch('#37474f', t('legend.junction'), true),
      h('li', { class: 'wide' }, ...Object.values(TRAFFIC_COLORS).map((c) => h('i', { style: `background:${c}` })), t('legend.traffic'))),
    h('small', {}, library === 'mapbox' ? t('map.mapbox') : t('map.offline', { approx: t('map.approx') })));
}
