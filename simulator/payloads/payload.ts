/**
 * A payload component on a drone's MAVLink endpoint (loudspeaker, camera, ...): its own component
 * id, its own HEARTBEAT, and the frames and commands addressed to it. The drone's endpoint sends
 * for it with a FrameEncoder of its own (sysid of the drone, compid of the payload).
 */
import type { Frame } from '../../server/mavlink/frame.ts';
import type { MessageClass } from '../../server/mavlink/definitions.ts';

export interface PayloadContext {
  nowMs(): number;
  /** Send a message from this payload's component. */
  send(clazz: MessageClass, fields: Record<string, unknown>): void;
  statusText(severity: number, text: string): void;
}

export interface CommandForPayload {
  command: number;
  params: readonly number[];
  fromSysid: number;
  fromCompid: number;
}

export interface PayloadComponent {
  readonly compid: number;
  /** HEARTBEAT.type of this component (e.g. MAV_TYPE_GENERIC, MAV_TYPE_CAMERA). */
  readonly mavType: number;
  /** A frame addressed to this component (COMMAND_* are given to `command` instead). */
  handleFrame?(frame: Frame, ctx: PayloadContext): void;
  /** A command addressed to this component: return a MAV_RESULT, or null for UNSUPPORTED. */
  command?(cmd: CommandForPayload, ctx: PayloadContext): number | null;
  tick?(ctx: PayloadContext): void;
}
