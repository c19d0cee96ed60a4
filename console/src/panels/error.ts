/**
 * A refused request, the same way everywhere: what failed and why (translated from the error
 * code), the server's own message, the drone's reason, and for an airspace violation which leg
 * breaks which zone.
 */
import type { ApiError } from '../api/client.ts';
import { t, tMaybe } from '../i18n/index.ts';
import { append, h, raw } from './dom.ts';
import { errorLabel } from './format.ts';

type ZoneName = (id: string) => string | undefined;

/** `what`: the action in words ("Take-off", "Preview"). `zoneName`: a geofence's name by id. */
export function errorView(what: string, e: ApiError, zoneName?: ZoneName): HTMLElement {
  const el = h('div', { class: 'result error', 'data-test': 'error', 'data-code': e.code });
  append(el, errorParts(what, e, zoneName));
  return el;
}

/** The lines of errorView, for a result element the caller already has. */
export function errorParts(what: string, e: ApiError, zoneName: ZoneName = () => undefined): HTMLElement[] {
  const parts = [h('strong', {}, t('err.title', { cmd: what, what: errorLabel(e.code) }))];
  if (e.code === 'AIRSPACE_VIOLATION') parts.push(violationView(e.details, zoneName));
  parts.push(h('div', {}, t('err.serverSays'), raw(e.message)));
  if (typeof e.details.reason === 'string') parts.push(h('div', {}, t('err.reason'), raw(e.details.reason)));
  return parts;
}

/** "Leg 3 enters the no-fly zone <name> by 42 m". */
function violationView(details: Record<string, unknown>, zoneName: ZoneName): HTMLElement {
  const leg = typeof details.leg === 'number' ? details.leg + 1 : '?';
  const by = typeof details.byM === 'number' ? Math.round(details.byM) : '?';
  const zoneId = String(details.zoneId ?? '');
  const sentence = tMaybe(`viol.${String(details.kind)}`, { leg, by }) ?? t('viol.other', { leg });
  const name = zoneName(zoneId);
  const zone = details.kind === 'enters-no-fly' || details.kind === 'leaves-operating-area' ? [' ', raw(name ?? zoneId)] : [];
  const el = h('div', { 'data-test': 'violation', 'data-leg': String(leg), 'data-zone': zoneId }, sentence);
  append(el, zone);
  return el;
}
