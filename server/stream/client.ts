/**
 * One connected stream client: its socket, its telemetry state in the batcher, its bounded event
 * queue (used only while it is behind) and its counters.
 */
import type { WebSocket } from 'ws';
import type { SubscriberState } from './batcher.ts';
import type { Identity } from './auth.ts';
import type { Subscription } from './subscription.ts';

export interface ClientCounters {
  framesSent: number;
  bytesSent: number;
  /** Ticks at which telemetry was due but held back because the client was behind (it later gets the newest state). */
  telemetrySkipped: number;
  /** Events dropped (oldest first) because the client was behind and its event queue was full. */
  eventsDropped: number;
  /** Largest socket buffer seen for it, bytes. */
  peakBufferedBytes: number;
}

export class StreamClient {
  readonly counters: ClientCounters = { framesSent: 0, bytesSent: 0, telemetrySkipped: 0, eventsDropped: 0, peakBufferedBytes: 0 };
  /** Answered the last ping (or sent something) since it was sent. */
  alive = true;
  /** Since when its socket buffer has been above the limit; null when it is keeping up. */
  behindSinceMs: number | null = null;
  closing = false;
  /** Event frames waiting while the client is behind; bounded by the hub. */
  readonly queuedEvents: string[] = [];
  /** A subscribe not answered yet: answered (with its snapshot) at the next tick the client keeps up. */
  pendingSubscription: Subscription | null = null;
  /** Client messages in the current second (a client may not flood the server with subscribes). */
  messagesThisWindow = 0;
  windowStartMs = 0;

  constructor(
    readonly id: number,
    readonly ws: WebSocket,
    readonly identity: Identity,
    readonly remote: string,
    readonly connectedAtMs: number,
    readonly sub: SubscriberState,
  ) {}

  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  /** Send one text frame; returns its size in bytes. */
  send(data: string | Buffer): number {
    const bytes = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    this.counters.framesSent++;
    this.counters.bytesSent += bytes;
    this.ws.send(data, { binary: false });
    return bytes;
  }
}
