/** Typed access to a frame's message: `decodeAs(frame, common.GlobalPositionInt)`. */
import { registry as defaultRegistry, type MessageClass, type MessageOf, type MessageRegistry } from './definitions.ts';
import type { Frame } from './frame.ts';
import { decodePayload } from './payload.ts';

export function decodeAs<C extends MessageClass>(frame: Frame, clazz: C, reg: MessageRegistry = defaultRegistry): MessageOf<C> {
  return decodePayload<MessageOf<C>>(reg.of(clazz), frame.payload);
}

export function decodeFrame(frame: Frame, reg: MessageRegistry = defaultRegistry): Record<string, unknown> | null {
  const def = reg.get(frame.msgid);
  return def ? decodePayload(def, frame.payload) : null;
}
