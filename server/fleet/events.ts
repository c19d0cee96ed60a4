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
  /** A parking-advisory case changed state (server/warnings). */
  | 'advisory'
  /** An incident moved on (server/incidents): reported, a drone dispatched / airborne / on scene / lost, released. */
  | 'incident'
  /** A road segment's traffic level changed (server/traffic/traffic-service.ts). */
  | 'traffic'
  /** A loudspeaker broadcast changed state (server/warnings/broadcast-service.ts). */
  | 'broadcast'
  /** Overwatch runs (server/fleet/overwatch-runner.ts): a station became uncovered / covered again. */
  | 'overwatch-gap-opened'
  | 'overwatch-gap-closed'
  /**
   * The server sends a drone on a way that breaks the geofences because there is no other
   * (server/fleet/home-return.ts: home by RTL when no way round the no-fly zones exists); `reason`
   * says which. The console shows it as urgent.
   */
  | 'geofence-breach';

export interface DroneEvent {
  kind: DroneEventKind;
  /** Absent for events that are not about one drone (e.g. an advisory case still waiting for one). */
  droneId?: string;
  /** ISO time. */
  at: string;
  [detail: string]: unknown;
}

export type DroneEventHandler = (event: DroneEvent) => void;
