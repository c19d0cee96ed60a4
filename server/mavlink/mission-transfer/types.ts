/** Mission items as they cross the wire (MISSION_ITEM_INT), and the typed results of a transfer. */
export type MissionType = 'mission' | 'fence' | 'rally';

export const MISSION_TYPE_CODE: Record<MissionType, number> = { mission: 0, fence: 1, rally: 2 };

export interface WireMissionItem {
  seq: number;
  frame: number;
  command: number;
  current: number;
  autocontinue: number;
  param1: number;
  param2: number;
  param3: number;
  param4: number;
  /** Latitude in degE7 (or a local x for non-global frames). */
  x: number;
  /** Longitude in degE7. */
  y: number;
  /** Altitude in metres in the item's frame. */
  z: number;
}

export type TransferFailure =
  /** The vehicle stopped answering after all retries. */
  | { kind: 'timeout'; step: string; attempts: number }
  /** The vehicle answered MISSION_ACK with an error. */
  | { kind: 'rejected'; missionResult: string; resultCode: number }
  /** Another transfer is running on this vehicle. */
  | { kind: 'busy' }
  | { kind: 'cancelled' }
  /** The vehicle sent something the protocol does not allow at this point. */
  | { kind: 'protocol'; message: string };

export type TransferResult<T> = { ok: true; value: T } | { ok: false; failure: TransferFailure };

export interface TransferTimeouts {
  /** Waiting for MISSION_COUNT, MISSION_ACK or the first request (spec: 1500 ms). */
  timeoutMs: number;
  /** Waiting for the next item or request (spec: 250 ms). */
  itemTimeoutMs: number;
  /** Resends before giving up (spec: 5). */
  retries: number;
}

export const DEFAULT_TIMEOUTS: TransferTimeouts = { timeoutMs: 1500, itemTimeoutMs: 250, retries: 5 };
