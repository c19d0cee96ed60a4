/** What protocol exchanges need of a vehicle: send a message to it. Targets are filled by the caller. */
import type { MessageClass } from './definitions.ts';
import type { MessageFields } from './frame-encoder.ts';

export interface VehicleChannel {
  /** The vehicle's system and autopilot component. */
  readonly target: { sysid: number; compid: number };
  send<C extends MessageClass>(clazz: C, fields: MessageFields<C>): void;
}
