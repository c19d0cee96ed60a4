/**
 * /api/stream: snapshot, then telemetry deltas and events (docs/stream.md). Reconnects with
 * exponential backoff (0.5 s doubling to 15 s, with jitter); every reconnect starts from a new snapshot.
 */
import type { Drone, FleetEvent } from './types.ts';

export type StreamMessage =
  | { type: 'snapshot'; drones: Drone[] }
  | { type: 'telemetry'; t: number; drones: Array<Partial<Drone> & { id: string }> }
  | { type: 'event'; event: FleetEvent }
  | { type: 'subscribed'; subscription: unknown }
  | { type: 'error'; error: { code: string; message: string } };

export type StreamStatus = { state: 'connecting' } | { state: 'live' } | { state: 'waiting'; retryInMs: number };

export interface StreamHandlers {
  onMessage(msg: StreamMessage): void;
  onStatus(status: StreamStatus): void;
}

const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 15_000;

export class StreamClient {
  private ws: WebSocket | null = null;
  private backoffMs = MIN_BACKOFF_MS;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** Connections opened so far (the first, then each reconnect). */
  connects = 0;

  constructor(private readonly token: string, private readonly handlers: StreamHandlers) {}

  start(): void {
    this.closed = false;
    this.connect();
  }

  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.ws?.close(1000, 'console closed');
    this.ws = null;
  }

  /** Drop the connection as a network failure would (tests, devtools): it reconnects as usual. */
  interrupt(): void {
    this.ws?.close(4000, 'interrupted');
  }

  private connect(): void {
    this.connects++;
    this.handlers.onStatus({ state: 'connecting' });
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const ws = new WebSocket(`${proto}//${location.host}/api/stream?token=${encodeURIComponent(this.token)}`);
    this.ws = ws;
    ws.onmessage = (ev) => {
      let msg: StreamMessage;
      try { msg = JSON.parse(String(ev.data)) as StreamMessage; } catch { return; }
      if (msg.type === 'snapshot') {
        this.backoffMs = MIN_BACKOFF_MS;
        this.handlers.onStatus({ state: 'live' });
      }
      this.handlers.onMessage(msg);
    };
    ws.onclose = () => {
      if (this.ws !== ws || this.closed) return;
      this.ws = null;
      const delay = Math.round(this.backoffMs * (0.8 + Math.random() * 0.4));
      this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
      this.handlers.onStatus({ state: 'waiting', retryInMs: delay });
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }
}
