/**
 * The stream hub on /api/stream: accepts WebSocket upgrades on the HTTP server (ws, noServer),
 * authenticates them, sends each client a snapshot, then telemetry batched per tick and the fleet's
 * events; enforces backpressure (a client above `maxBufferedBytes` gets nothing but keeps its
 * newest state pending; above it for `slowCloseAfterMs` it is closed with 4008 "too slow"); pings
 * and reaps dead sockets. Timers run on the injected Clock.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Fleet } from '../fleet/fleet.ts';
import type { DroneEvent } from '../fleet/events.ts';
import type { Clock, TimerHandle } from '../time/clock.ts';
import { tokenOf, type Authenticate, type Identity } from './auth.ts';
import { TelemetryBatcher, type TelemetryFrame } from './batcher.ts';
import { StreamClient } from './client.ts';
import { LatencyHistogram } from './latency.ts';
import { CLOSE, STREAM_PATH } from './protocol.ts';
import { parseSubscription, SubscriptionError, viewOf } from './subscription.ts';

export interface StreamOptions {
  /** Batching period; telemetry waits at most this long for its frame (unless rate-limited). */
  tickMs: number;
  /** A client whose socket buffer holds more than this gets no telemetry until it drains. */
  maxBufferedBytes: number;
  /** A client behind for longer than this is closed with 4008 "too slow". */
  slowCloseAfterMs: number;
  /** After a close frame, how long a client gets to answer before its socket is destroyed. */
  closeGraceMs: number;
  /** Ping period; a client that has not answered the previous ping is reaped. */
  pingIntervalMs: number;
  /** Events kept for a client while it is behind; beyond that the oldest are dropped (counted). */
  maxQueuedEvents: number;
  maxClients: number;
  /** Largest client message, bytes. */
  maxMessageBytes: number;
  /** Client messages per second before they are refused. */
  maxMessagesPerSecond: number;
}

export const DEFAULT_STREAM_OPTIONS: StreamOptions = {
  tickMs: 25,
  maxBufferedBytes: 1024 * 1024,
  slowCloseAfterMs: 10_000,
  closeGraceMs: 5000,
  pingIntervalMs: 15_000,
  maxQueuedEvents: 500,
  maxClients: 500,
  maxMessageBytes: 64 * 1024,
  maxMessagesPerSecond: 20,
};

export interface StreamHubDeps {
  fleet: Fleet;
  clock: Clock;
  logger: Logger;
  /** Who may open the stream (no default: a hub without it would let anyone in). */
  authenticate: Authenticate;
  options?: Partial<StreamOptions>;
}

export interface StreamCounters {
  clientsConnected: number;
  upgradesRejected: number;
  framesSent: number;
  telemetryFramesSent: number;
  eventFramesSent: number;
  bytesSent: number;
  telemetrySkipped: number;
  eventsDropped: number;
  clientsClosedSlow: number;
  clientsReapedDead: number;
}

export class StreamHub {
  readonly options: StreamOptions;
  readonly counters: StreamCounters = {
    clientsConnected: 0, upgradesRejected: 0, framesSent: 0, telemetryFramesSent: 0, eventFramesSent: 0, bytesSent: 0,
    telemetrySkipped: 0, eventsDropped: 0, clientsClosedSlow: 0, clientsReapedDead: 0,
  };
  /** Datagram received → telemetry frame handed to the socket, per drone update sent. */
  readonly latency = new LatencyHistogram();
  /** How long each tick took (fold changes + build + hand frames to every socket). */
  readonly tickDuration = new LatencyHistogram();
  /** How late each tick started against its period (a loaded event loop shows here first). */
  readonly tickLateness = new LatencyHistogram();
  private lastTickMs: number | null = null;
  private readonly batcher = new TelemetryBatcher();
  private readonly clients = new Set<StreamClient>();
  private readonly wss: WebSocketServer;
  private readonly timers: TimerHandle[] = [];
  private readonly authenticate: Authenticate;
  private nextClientId = 1;
  private closed = false;
  private readonly log: Logger;

  constructor(private readonly deps: StreamHubDeps) {
    this.options = { ...DEFAULT_STREAM_OPTIONS, ...deps.options };
    this.authenticate = deps.authenticate;
    this.log = deps.logger.child({ part: 'stream' });
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: this.options.maxMessageBytes, clientTracking: false });
    const now = deps.clock.nowMs();
    for (const d of deps.fleet.list()) this.batcher.markChanged(d, now);
    deps.fleet.onChange((session, receivedAtMs) => this.batcher.markChanged(session.state, receivedAtMs));
    deps.fleet.onEvent((e) => this.onEvent(e));
    this.timers.push(deps.clock.setInterval(() => this.tick(), this.options.tickMs));
    this.timers.push(deps.clock.setInterval(() => this.ping(), this.options.pingIntervalMs));
  }

  /** Handle upgrades for STREAM_PATH on this HTTP server (other paths are left to other listeners, or refused). */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === STREAM_PATH) return void this.upgrade(req, socket, head);
      if (server.listenerCount('upgrade') === 1) refuse(socket, 404, 'NOT_FOUND', `no WebSocket at ${path}`);
    });
  }

  get clientCount(): number {
    return this.clients.size;
  }

  metrics() {
    const now = this.deps.clock.nowMs();
    return {
      clients: this.clients.size,
      ...this.counters,
      latencyMs: this.latency.summary(),
      tickDurationMs: this.tickDuration.summary(),
      tickLatenessMs: this.tickLateness.summary(),
      perClient: [...this.clients].map((c) => ({
        id: c.id, operatorId: c.identity.operatorId, role: c.identity.role, remote: c.remote,
        connectedForS: Math.round((now - c.connectedAtMs) / 100) / 10,
        subscription: viewOf(c.sub.subscription),
        bufferedBytes: c.bufferedBytes,
        behindForMs: c.behindSinceMs === null ? 0 : now - c.behindSinceMs,
        updatesSent: c.sub.updatesSent,
        ...c.counters,
      })),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) t.cancel();
    const open = [...this.clients];
    await Promise.all(open.map((c) => new Promise<void>((resolve) => {
      if (c.ws.readyState === c.ws.CLOSED) return resolve();
      const timer = setTimeout(() => { c.ws.terminate(); resolve(); }, 300);
      timer.unref();
      c.ws.once('close', () => { clearTimeout(timer); resolve(); });
      c.ws.close(CLOSE.GOING_AWAY.code, CLOSE.GOING_AWAY.reason);
    })));
    this.clients.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  /** One batching period: fold changes, then give every client that keeps up its frame. */
  tick(): void {
    const now = this.deps.clock.nowMs();
    if (this.lastTickMs !== null) this.tickLateness.record(now - this.lastTickMs - this.options.tickMs);
    this.lastTickMs = now;
    this.batcher.tick(now);
    let shared: { text: string; bytes: Buffer } | null = null;
    for (const c of this.clients) {
      if (c.closing) continue;
      if (!this.keepingUp(c, now)) {
        if (c.sub.pending.length > 0) { c.counters.telemetrySkipped++; this.counters.telemetrySkipped++; }
        continue;
      }
      this.flushEvents(c);
      if (c.pendingSubscription) {
        const subscription = c.pendingSubscription;
        c.pendingSubscription = null;
        this.reply(c, { type: 'subscribed', subscription: viewOf(subscription) });
        this.sendSnapshot(c, subscription);
      }
      const frame: TelemetryFrame | null = this.batcher.collect(c.sub, now);
      if (!frame) continue;
      if (shared === null || shared.text !== frame.text) shared = { text: frame.text, bytes: Buffer.from(frame.text) };
      this.sent(c.send(shared.bytes));
      this.counters.telemetryFramesSent++;
      const sentAt = this.deps.clock.nowMs();
      for (const t of frame.oldestChangeMs) this.latency.record(sentAt - t);
    }
    this.tickDuration.record(this.deps.clock.nowMs() - now);
  }

  /** Backpressure: false while the client's socket buffer is above the limit; closes it if that lasts. */
  private keepingUp(c: StreamClient, now: number): boolean {
    const buffered = c.bufferedBytes;
    if (buffered > c.counters.peakBufferedBytes) c.counters.peakBufferedBytes = buffered;
    if (buffered <= this.options.maxBufferedBytes) {
      c.behindSinceMs = null;
      return true;
    }
    if (c.behindSinceMs === null) c.behindSinceMs = now;
    else if (now - c.behindSinceMs > this.options.slowCloseAfterMs) this.closeSlow(c, now);
    return false;
  }

  private closeSlow(c: StreamClient, now: number): void {
    this.counters.clientsClosedSlow++;
    this.log.warn({ client: c.id, operatorId: c.identity.operatorId, remote: c.remote, bufferedBytes: c.bufferedBytes, behindForMs: now - (c.behindSinceMs ?? now) }, 'stream client too slow: closing');
    this.closeClient(c, CLOSE.TOO_SLOW.code, CLOSE.TOO_SLOW.reason);
  }

  private closeClient(c: StreamClient, code: number, reason: string): void {
    c.closing = true;
    c.queuedEvents.length = 0;
    c.ws.close(code, reason);
    const timer = this.deps.clock.setTimeout(() => c.ws.terminate(), this.options.closeGraceMs);
    c.ws.once('close', () => timer.cancel());
  }

  private ping(): void {
    for (const c of this.clients) {
      if (c.closing) continue; // its close has its own deadline
      // a client that is behind cannot answer in time (the ping waits behind its data): the slow-client
      // rule deals with it
      if (!c.alive && c.behindSinceMs === null) {
        this.counters.clientsReapedDead++;
        this.log.info({ client: c.id, remote: c.remote }, 'stream client did not answer ping: reaped');
        this.clients.delete(c);
        this.batcher.removeSubscriber(c.sub);
        c.ws.terminate();
        continue;
      }
      c.alive = false;
      try { c.ws.ping(); } catch { /* closing */ }
    }
  }

  private onEvent(e: DroneEvent): void {
    if (this.clients.size === 0) return;
    const text = JSON.stringify({ type: 'event', event: e });
    for (const c of this.clients) {
      if (c.closing) continue;
      if (c.queuedEvents.length > 0 || c.bufferedBytes > this.options.maxBufferedBytes) {
        c.queuedEvents.push(text);
        if (c.queuedEvents.length > this.options.maxQueuedEvents) {
          c.queuedEvents.shift();
          c.counters.eventsDropped++;
          this.counters.eventsDropped++;
        }
        continue;
      }
      this.sendEvent(c, text);
    }
  }

  private flushEvents(c: StreamClient): void {
    if (c.queuedEvents.length === 0) return;
    for (const text of c.queuedEvents.splice(0)) this.sendEvent(c, text);
  }

  private sendEvent(c: StreamClient, text: string): void {
    this.sent(c.send(text));
    this.counters.eventFramesSent++;
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    let identity: Identity | null;
    try {
      identity = await this.authenticate(tokenOf(req));
    } catch (err) {
      this.log.error({ err }, 'stream: authentication failed');
      return refuse(socket, 500, 'INTERNAL', 'authentication failed');
    }
    if (!identity) {
      this.counters.upgradesRejected++;
      return refuse(socket, 401, 'UNAUTHORIZED', 'a valid token is required (?token= or Authorization: Bearer)');
    }
    if (this.closed) return refuse(socket, 503, 'SHUTTING_DOWN', 'the server is shutting down');
    if (this.clients.size >= this.options.maxClients) {
      this.counters.upgradesRejected++;
      return refuse(socket, 503, 'TOO_MANY_CLIENTS', `at most ${this.options.maxClients} stream clients`);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, identity, req));
  }

  private accept(ws: WebSocket, identity: Identity, req: IncomingMessage): void {
    const now = this.deps.clock.nowMs();
    const remote = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const c = new StreamClient(this.nextClientId++, ws, identity, remote, now, this.batcher.addSubscriber());
    this.clients.add(c);
    this.counters.clientsConnected++;
    ws.on('pong', () => { c.alive = true; });
    ws.on('message', (data, isBinary) => { c.alive = true; this.onMessage(c, data, isBinary); });
    ws.on('error', (err) => this.log.debug({ client: c.id, err: err.message }, 'stream client socket error'));
    ws.on('close', () => {
      this.clients.delete(c);
      this.batcher.removeSubscriber(c.sub);
    });
    this.log.info({ client: c.id, operatorId: identity.operatorId, remote }, 'stream client connected');
    this.sendSnapshot(c);
  }

  private sendSnapshot(c: StreamClient, subscription = c.sub.subscription): void {
    const drones = this.batcher.snapshot(c.sub, this.deps.clock.nowMs(), subscription);
    this.sent(c.send(JSON.stringify({ type: 'snapshot', drones })));
  }

  private onMessage(c: StreamClient, data: RawData, isBinary: boolean): void {
    if (c.closing) return;
    const now = this.deps.clock.nowMs();
    if (now - c.windowStartMs >= 1000) { c.windowStartMs = now; c.messagesThisWindow = 0; }
    if (++c.messagesThisWindow > this.options.maxMessagesPerSecond) {
      if (c.messagesThisWindow !== this.options.maxMessagesPerSecond + 1) return; // told once per second
      return this.reply(c, { type: 'error', error: { code: 'RATE_LIMITED', message: `at most ${this.options.maxMessagesPerSecond} messages per second; the others are ignored` } });
    }
    let msg: unknown;
    try {
      if (isBinary) throw new Error('binary');
      msg = JSON.parse(String(data));
    } catch {
      return this.reply(c, { type: 'error', error: { code: 'BAD_MESSAGE', message: 'messages are JSON text, e.g. {"type":"subscribe","droneIds":["E01"]}' } });
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return this.reply(c, { type: 'error', error: { code: 'BAD_MESSAGE', message: 'a message is a JSON object with a "type"' } });
    }
    const m = msg as Record<string, unknown>;
    if (m.type !== 'subscribe') {
      return this.reply(c, { type: 'error', error: { code: 'UNKNOWN_TYPE', message: `unknown message type ${JSON.stringify(m.type)} (known: subscribe)` } });
    }
    try {
      // answered at the next tick at which the client keeps up: a client that subscribes again and
      // again while it does not read gets one snapshot, not one per message
      c.pendingSubscription = parseSubscription(m);
    } catch (err) {
      if (!(err instanceof SubscriptionError)) throw err;
      return this.reply(c, { type: 'error', error: { code: 'BAD_SUBSCRIPTION', message: err.message } });
    }
  }

  private reply(c: StreamClient, msg: unknown): void {
    this.sent(c.send(JSON.stringify(msg)));
  }

  private sent(bytes: number): void {
    this.counters.framesSent++;
    this.counters.bytesSent += bytes;
  }
}

function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message, details: {} } });
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' }[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
