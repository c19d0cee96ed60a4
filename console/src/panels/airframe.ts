/**
 * The airframe an overwatch is planned for: cruise speed, endurance on one battery and the battery
 * swap at the base, the simulated quadcopter's figures by default (10 m/s, 25 min, 2 min). Each field
 * is checked as it is typed; a value out of its bounds is named in a translated message and the
 * airframe is not valid (the panel's Preview waits for it).
 */
import { t, type MessageKey } from '../i18n/index.ts';
import { h } from './dom.ts';
import { field } from './form.ts';

/** The airframe as POST /api/plans (kind overwatch) takes it. */
export interface Airframe { cruiseMps: number; enduranceS: number; swapS: number }

interface FieldSpec { key: keyof Airframe; label: MessageKey; test: string; value: number; min: number; max: number; step: number; toRequest: number }

/** Shown in the field's own unit (m/s, min); `toRequest` converts it to the request's (m/s, s). */
const FIELDS: readonly FieldSpec[] = [
  { key: 'cruiseMps', label: 'ow.cruiseMps', test: 'ow-cruise', value: 10, min: 1, max: 30, step: 0.5, toRequest: 1 },
  { key: 'enduranceS', label: 'ow.enduranceMin', test: 'ow-endurance', value: 25, min: 2, max: 120, step: 1, toRequest: 60 },
  { key: 'swapS', label: 'ow.swapMin', test: 'ow-swap', value: 2, min: 0, max: 60, step: 0.5, toRequest: 60 },
];

export class AirframeForm {
  /** What is typed in each field, as typed. */
  private readonly typed = new Map<keyof Airframe, string>(FIELDS.map((f) => [f.key, String(f.value)]));

  /** The airframe in the request's units, or null while a field is out of its bounds. */
  value(): Airframe | null {
    const out: Partial<Airframe> = {};
    for (const f of FIELDS) {
      const n = parse(f, this.typed.get(f.key)!);
      if (n === null) return null;
      out[f.key] = n * f.toRequest;
    }
    return out as Airframe;
  }

  /** The three fields and the message naming the ones out of bounds; `changed` after each keystroke. */
  view(changed: () => void): HTMLElement {
    const message = h('div', { class: 'error', 'data-test': 'ow-airframe-error', role: 'alert' });
    const check = () => {
      const bad = FIELDS.filter((f) => parse(f, this.typed.get(f.key)!) === null);
      message.replaceChildren(...bad.map((f) => h('p', {}, t('ow.airframeInvalid', { field: t(f.label), min: f.min, max: f.max }))));
      message.hidden = bad.length === 0;
    };
    const inputs = FIELDS.map((f) => field(t(f.label), h('input', { type: 'number', min: f.min, max: f.max, step: f.step, value: this.typed.get(f.key)!, 'data-test': f.test,
      oninput: (e: Event) => { this.typed.set(f.key, (e.target as HTMLInputElement).value); check(); changed(); } })));
    check();
    return h('div', { class: 'airframe' }, h('div', { class: 'row' }, ...inputs), message);
  }
}

/** A finite number within the field's bounds (the swap may be 0; speed and endurance must be positive). */
function parse(f: FieldSpec, text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) && n >= f.min && n <= f.max ? n : null;
}
