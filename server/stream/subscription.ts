/**
 * What a client asked to see: a set of drone ids and/or a bounding box, and a rate. Parsed from the
 * client's `{ type: "subscribe", ... }` message; errors name the field.
 */
import type { Drone } from '../contracts/drone.ts';
import { MAX_HZ } from './rate-limit.ts';
import type { SubscriptionView } from './protocol.ts';

export interface Subscription {
  /** null: every drone (unless a bbox is given). */
  droneIds: ReadonlySet<string> | null;
  /** [west, south, east, north], degrees. */
  bbox: readonly [number, number, number, number] | null;
  maxHz: number;
}

export const EVERYTHING: Subscription = { droneIds: null, bbox: null, maxHz: MAX_HZ };

export class SubscriptionError extends Error {}

const MAX_IDS = 10_000;

/** Validate a decoded client message of type "subscribe". */
export function parseSubscription(msg: Record<string, unknown>): Subscription {
  for (const k of Object.keys(msg)) {
    if (!['type', 'droneIds', 'bbox', 'maxHz'].includes(k)) throw new SubscriptionError(`subscribe: unknown field "${k}" (known: droneIds, bbox, maxHz)`);
  }
  let droneIds: Set<string> | null = null;
  if (msg.droneIds !== undefined && msg.droneIds !== null) {
    if (!Array.isArray(msg.droneIds) || msg.droneIds.length > MAX_IDS || !msg.droneIds.every((x) => typeof x === 'string')) {
      throw new SubscriptionError(`subscribe: droneIds must be an array of drone id strings (at most ${MAX_IDS})`);
    }
    droneIds = new Set(msg.droneIds as string[]);
  }
  let bbox: [number, number, number, number] | null = null;
  if (msg.bbox !== undefined && msg.bbox !== null) {
    const b = msg.bbox;
    if (!Array.isArray(b) || b.length !== 4 || !b.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new SubscriptionError('subscribe: bbox must be [west, south, east, north] in degrees');
    }
    const [w, s, e, n] = b as [number, number, number, number];
    if (s > n || s < -90 || n > 90 || w < -180 || w > 180 || e < -180 || e > 180) {
      throw new SubscriptionError('subscribe: bbox must be [west, south, east, north] with -180 ≤ west, east ≤ 180 and -90 ≤ south ≤ north ≤ 90');
    }
    bbox = [w, s, e, n];
  }
  let maxHz = MAX_HZ;
  if (msg.maxHz !== undefined && msg.maxHz !== null) {
    if (typeof msg.maxHz !== 'number' || !(msg.maxHz > 0)) throw new SubscriptionError(`subscribe: maxHz must be a number > 0 (at most ${MAX_HZ})`);
    maxHz = Math.min(MAX_HZ, msg.maxHz);
  }
  return { droneIds, bbox, maxHz };
}

/** Is the drone (in this state) part of the subscription? With both ids and a box, either suffices. */
export function subscribes(sub: Subscription, id: string, position: Drone['position']): boolean {
  if (!sub.droneIds && !sub.bbox) return true;
  if (sub.droneIds?.has(id)) return true;
  return sub.bbox !== null && position !== null && inBox(sub.bbox, position.lon, position.lat);
}

function inBox([w, s, e, n]: readonly [number, number, number, number], lon: number, lat: number): boolean {
  if (lat < s || lat > n) return false;
  // a box whose west edge is east of its east edge crosses the antimeridian
  return w <= e ? lon >= w && lon <= e : lon >= w || lon <= e;
}

export function viewOf(sub: Subscription): SubscriptionView {
  return { droneIds: sub.droneIds ? [...sub.droneIds] : null, bbox: sub.bbox ? [...sub.bbox] : null, maxHz: sub.maxHz };
}
