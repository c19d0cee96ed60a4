/**
 * A link in memory for unit tests of the fleet with a FakeClock: what the server sends is decoded
 * into `sent`, and `deliver` hands the server a datagram "from the vehicle" at `remote`.
 */
import { decodeDatagram, newDecodeCounters } from '../../server/mavlink/frame-decoder.ts';
import type { Frame } from '../../server/mavlink/frame.ts';
import { newLinkCounters, type FrameHandler, type Link } from '../../server/mavlink/links/link.ts';
import type { Clock } from '../../server/time/clock.ts';

export class MemoryLink implements Link {
  readonly id = 'udp:mem';
  readonly counters = newLinkCounters(newDecodeCounters());
  readonly sent: Frame[] = [];
  private handler: FrameHandler = () => {};
  constructor(private readonly clock: Clock, private readonly remote = '127.0.0.1:5000') {}
  onFrame(h: FrameHandler): void { this.handler = h; }
  onBytes(): void {}
  onSent(): void {}
  send(_remote: string, bytes: Uint8Array): void { decodeDatagram(bytes, (f) => this.sent.push(f), newDecodeCounters()); }
  async start(): Promise<void> {}
  async close(): Promise<void> {}
  address() { return { host: '127.0.0.1', port: 0 }; }
  deliver(bytes: Uint8Array): void { decodeDatagram(bytes, (frame) => this.handler({ remote: this.remote, frame, receivedAtMs: this.clock.nowMs() }), newDecodeCounters()); }
}
