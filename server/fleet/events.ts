/** What happens to drones, as the stream and the console see it. */
export type DroneEventKind =
  | 'drone-discovered'
  | 'link-lost'
  | 'link-regained'
  | 'mode-changed'
  | 'armed'
  | 'disarmed'
  | 'landed'
  | 'airborne'
  | 'low-battery'
  | 'statustext'
  | 'mission-current'
  | 'mission-item-reached'
  | 'command-result'
  | 'streams-requested'
  /** Overwatch runs (server/fleet/overwatch-runner.ts): a station became uncovered / covered again. */
  | 'overwatch-gap-opened'
  | 'overwatch-gap-closed';

export interface DroneEvent {
  kind: DroneEventKind;
  droneId: string;
  /** ISO time. */
  at: string;
  [detail: string]: unknown;
}

export type DroneEventHandler = (event: DroneEvent) => void;
