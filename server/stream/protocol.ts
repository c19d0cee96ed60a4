/**
 * The /api/stream wire protocol (CONTRACT.md "WebSocket /api/stream", docs/stream.md): what the
 * server sends, what a client may send, and the close codes.
 */
import type { Drone } from '../contracts/drone.ts';
import type { DroneEvent } from '../fleet/events.ts';

export const STREAM_PATH = '/api/stream';

/** Server → client. */
export type ServerMessage =
  | { type: 'snapshot'; drones: Drone[] }
  | { type: 'telemetry'; t: number; drones: Array<{ id: string } & Partial<Drone>> }
  | { type: 'event'; event: DroneEvent }
  | { type: 'subscribed'; subscription: SubscriptionView }
  | { type: 'error'; error: { code: string; message: string } };

/** Client → server: replaces the client's subscription; every field optional (none = all drones at 10 Hz). */
export interface SubscribeMessage {
  type: 'subscribe';
  /** Only these drones (plus those inside `bbox` when both are given). */
  droneIds?: string[];
  /** [west, south, east, north] in degrees: drones whose position is inside. */
  bbox?: [number, number, number, number];
  /** Updates per drone per second, 0 < maxHz ≤ 10 (default 10). */
  maxHz?: number;
}

export interface SubscriptionView {
  droneIds: string[] | null;
  bbox: [number, number, number, number] | null;
  maxHz: number;
}

/** Close codes the server uses (4000–4999 are the application's range). */
export const CLOSE = {
  /** The server is shutting down. */
  GOING_AWAY: { code: 1001, reason: 'server shutting down' },
  /** The client stayed behind (its socket buffer above the limit) for too long. */
  TOO_SLOW: { code: 4008, reason: 'too slow' },
} as const;
