/** Plain vector arithmetic in the local frame (metres). Geometry predicates come from Turf. */
import type { XY } from './local-frame.ts';

export function dist(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);
}

export function polylineLengthM(points: readonly (readonly number[])[]): number {
  let total = 0;
  for (let i = 1; i < points.length; i++) total += dist(points[i - 1]!, points[i]!);
  return total;
}

export function rotate(p: readonly number[], angleRad: number): XY {
  const c = Math.cos(angleRad);
  const s = Math.sin(angleRad);
  return [p[0]! * c - p[1]! * s, p[0]! * s + p[1]! * c];
}

export function lerp(a: readonly number[], b: readonly number[], t: number): XY {
  return [a[0]! + (b[0]! - a[0]!) * t, a[1]! + (b[1]! - a[1]!) * t];
}

/** Twice the signed area of a ring (positive when counter-clockwise). */
export function signedArea2(ring: readonly (readonly number[])[]): number {
  let s = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % n]!;
    s += a[0]! * b[1]! - b[0]! * a[1]!;
  }
  return s;
}

/** Turn of the path a→b→c: positive left, negative right (cross product of the two legs). */
export function cross(a: readonly number[], b: readonly number[], c: readonly number[]): number {
  return (b[0]! - a[0]!) * (c[1]! - b[1]!) - (b[1]! - a[1]!) * (c[0]! - b[0]!);
}

/** Heading change at b, in degrees (0 = straight on, 180 = reversal). */
export function turnDeg(a: readonly number[], b: readonly number[], c: readonly number[]): number {
  const ux = b[0]! - a[0]!;
  const uy = b[1]! - a[1]!;
  const vx = c[0]! - b[0]!;
  const vy = c[1]! - b[1]!;
  const nu = Math.hypot(ux, uy);
  const nv = Math.hypot(vx, vy);
  if (nu === 0 || nv === 0) return 0;
  const cos = Math.max(-1, Math.min(1, (ux * vx + uy * vy) / (nu * nv)));
  return (Math.acos(cos) * 180) / Math.PI;
}

/** Open ring (drop the closing repeat of the first position, if present). */
export function openRing<T extends readonly number[]>(ring: T[]): T[] {
  if (ring.length > 1 && ring[0]![0] === ring[ring.length - 1]![0] && ring[0]![1] === ring[ring.length - 1]![1]) return ring.slice(0, -1);
  return ring;
}

export function closeRing<T extends readonly number[]>(ring: T[]): T[] {
  const open = openRing(ring);
  return open.length ? [...open, open[0]!] : open;
}

/** Cumulative lengths along a polyline. */
export function cumulative(points: readonly (readonly number[])[]): number[] {
  const out = [0];
  for (let i = 1; i < points.length; i++) out.push(out[i - 1]! + dist(points[i - 1]!, points[i]!));
  return out;
}

/** Remove consecutive points closer than `epsM`. */
export function dedupe(points: XY[], epsM = 1e-6): XY[] {
  const out: XY[] = [];
  for (const p of points) if (!out.length || dist(out[out.length - 1]!, p) > epsM) out.push(p);
  return out;
}

/** Distance from p to the segment a–b. */
export function pointSegmentDistanceM(p: readonly number[], a: readonly number[], b: readonly number[]): number {
  const dx = b[0]! - a[0]!;
  const dy = b[1]! - a[1]!;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0]! - a[0]!) * dx + (p[1]! - a[1]!) * dy) / len2));
  return Math.hypot(p[0]! - (a[0]! + t * dx), p[1]! - (a[1]! + t * dy));
}

/** Distance from p to the nearest edge of any of the rings. */
export function distanceToRingsM(p: readonly number[], rings: readonly (readonly (readonly number[])[])[]): number {
  let best = Infinity;
  for (const ring of rings) {
    for (let i = 1; i < ring.length; i++) best = Math.min(best, pointSegmentDistanceM(p, ring[i - 1]!, ring[i]!));
  }
  return best;
}
