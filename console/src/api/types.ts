/** The server's shapes, from the shared contract (server/contracts); types only, nothing is bundled. */
export type { Drone } from '../../../server/contracts/drone.ts';
export type { DroneCommand } from '../../../server/contracts/command.ts';
export type { Geofence } from '../../../server/contracts/geofence.ts';
export type { Zone } from '../../../server/contracts/zone.ts';

export type Role = 'viewer' | 'operator' | 'admin';
export interface Me { name: string; role: Role }

/** A fleet event as /api/stream sends it (`{ type: 'event', event }`). */
export interface FleetEvent {
  kind: string;
  droneId?: string;
  at: string;
  [field: string]: unknown;
}

export interface ErrorBody { error: { code: string; message: string; details?: Record<string, unknown> } }
