/**
 * Equality and copies of plain JSON-like data (the Drone's fields), without serializing: the
 * stream compares every changed drone's fields at each tick, so this must be cheap.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let n = 0;
  for (const k in ao) {
    n++;
    if (!(k in bo) || !sameValue(ao[k], bo[k])) return false;
  }
  for (const _k in bo) n--;
  return n === 0;
}

export function copyValue<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(copyValue) as T;
  const out: Record<string, unknown> = {};
  for (const k in v as Record<string, unknown>) out[k] = copyValue((v as Record<string, unknown>)[k]);
  return out as T;
}

/**
 * Make `target` equal to `source` reusing `target`'s objects where the shapes match (same keys), so
 * the stream's copy of a field that changes five times a second is not a new object every time.
 * Returns the value to keep (target itself, or a fresh copy when the shapes differ).
 */
export function copyInto<T>(target: unknown, source: T): T {
  if (source === null || typeof source !== 'object' || Array.isArray(source)) return copyValue(source);
  if (target === null || typeof target !== 'object' || Array.isArray(target)) return copyValue(source);
  const t = target as Record<string, unknown>;
  const src = source as Record<string, unknown>;
  let n = 0;
  for (const k in src) { n++; if (!(k in t)) return copyValue(source); }
  for (const _k in t) n--;
  if (n !== 0) return copyValue(source);
  for (const k in src) t[k] = copyInto(t[k], src[k]);
  return t as T;
}
