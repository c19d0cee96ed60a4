/**
 * A VehicleChannel that records what the server would send, and builds frames "from the vehicle".
 * Used to drive protocol state machines with a FakeClock; the real path is tested over UDP.
 */
import type { VehicleChannel } from '../../server/mavlink/channel.ts';
import type { MessageClass } from '../../server/mavlink/definitions.ts';
import { decodeDatagram, newDecodeCounters } from '../../server/mavlink/frame-decoder.ts';
import { FrameEncoder, type MessageFields } from '../../server/mavlink/frame-encoder.ts';
import type { Frame } from '../../server/mavlink/frame.ts';

export interface SentMessage {
  name: string;
  fields: Record<string, any>;
}

export class RecordingChannel implements VehicleChannel {
  readonly target = { sysid: 1, compid: 1 };
  readonly sent: SentMessage[] = [];
  private readonly vehicle = new FrameEncoder({ sysid: 1, compid: 1 });

  send<C extends MessageClass>(clazz: C, fields: MessageFields<C>): void {
    this.sent.push({ name: clazz.MSG_NAME, fields: fields as Record<string, any> });
  }

  names(): string[] {
    return this.sent.map((m) => m.name);
  }

  last(name: string): SentMessage | undefined {
    return [...this.sent].reverse().find((m) => m.name === name);
  }

  count(name: string): number {
    return this.sent.filter((m) => m.name === name).length;
  }

  /** A frame as the vehicle would send it. */
  fromVehicle<C extends MessageClass>(clazz: C, fields: MessageFields<C>): Frame {
    const frames: Frame[] = [];
    decodeDatagram(this.vehicle.encode(clazz, fields), (f) => frames.push(f), newDecodeCounters());
    return frames[0]!;
  }
}
