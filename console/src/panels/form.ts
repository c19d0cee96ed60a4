/** Form pieces the panels share: a labelled field, a number input that keeps only valid values, a request's state. */
import { ApiError } from '../api/client.ts';
import { h } from './dom.ts';

/** A request in flight, answered, or refused (the error as the API client gives it). */
export type Pending<T> = { kind: 'sending' } | { kind: 'done'; value: T } | { kind: 'error'; error: ApiError };

/** Run a request into a Pending state. */
export async function settle<T>(request: Promise<T>): Promise<Pending<T>> {
  try {
    return { kind: 'done', value: await request };
  } catch (err) {
    return { kind: 'error', error: err instanceof ApiError ? err : new ApiError(0, 'NETWORK', String(err)) };
  }
}

export function field(label: string, input: HTMLElement): HTMLLabelElement {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

/** A number input calling `set` with values within min…max (others are ignored until corrected). */
export function numberInput(o: { value: number; min: number; max: number; step?: number; test: string; set: (n: number) => void }): HTMLInputElement {
  return h('input', { type: 'number', min: o.min, max: o.max, step: o.step ?? 1, value: o.value, 'data-test': o.test,
    oninput: (e: Event) => { const n = Number((e.target as HTMLInputElement).value); if ((e.target as HTMLInputElement).value !== '' && n >= o.min && n <= o.max) o.set(n); } });
}
