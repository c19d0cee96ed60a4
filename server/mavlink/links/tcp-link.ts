/**
 * TCP link: connects out to HOST:PORT (e.g. an ArduPilot SITL on 5760) and reconnects with
 * exponential backoff. The byte stream goes through a bounded StreamDecoder.
 *
 *   connecting ──connect──▶ connected ──close/error──▶ waiting(backoff) ──timer──▶ connecting
 *        └──error──▶ waiting(backoff)                          close() from any state ──▶ closed
 */
import net from 'node:net';
import type { Clock, TimerHandle } from '../../time/clock.ts';
import { newDecodeCounters, StreamDecoder } from '../frame-decoder.ts';
import type { FrameVerifier } from '../signing/signature-verifier.ts';
import { admitFrame, newLinkCounters, type BytesHandler, type FrameHandler, type Link, type LinkCounters, type SentHandler } from './link.ts';

export interface TcpLinkOptions {
  id: string;
  host: string;
  port: number;
  clock: Clock;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  /** Signed link: frames are checked (and refused ones dropped and counted) before the handlers. */
  verifier?: FrameVerifier | null;
}

export class TcpLink implements Link {
  readonly id: string;
  readonly counters: LinkCounters = newLinkCounters(newDecodeCounters());
  private readonly frameHandlers: FrameHandler[] = [];
  private readonly bytesHandlers: BytesHandler[] = [];
  private readonly sentHandlers: SentHandler[] = [];
  private socket: net.Socket | null = null;
  private connected = false;
  private closed = false;
  private backoffMs: number;
  private retry: TimerHandle | null = null;
  /** How many times the link has connected (1 after the first success). */
  connections = 0;

  constructor(private readonly opts: TcpLinkOptions) {
    this.id = opts.id;
    this.backoffMs = opts.backoffMinMs ?? 500;
  }

  onFrame(handler: FrameHandler): void { this.frameHandlers.push(handler); }
  onBytes(handler: BytesHandler): void { this.bytesHandlers.push(handler); }
  onSent(handler: SentHandler): void { this.sentHandlers.push(handler); }

  /** Resolves at once: the link connects (and reconnects) in the background. */
  start(): Promise<void> {
    this.connect();
    return Promise.resolve();
  }

  address(): { host: string; port: number } {
    return { host: this.opts.host, port: this.opts.port };
  }

  isConnected(): boolean {
    return this.connected;
  }

  send(_remote: string, bytes: Uint8Array): void {
    if (!this.connected || !this.socket) { this.counters.sendErrors++; return; }
    this.counters.framesOut++;
    this.counters.bytesOut += bytes.length;
    this.socket.write(bytes);
    if (this.sentHandlers.length > 0) {
      const at = this.opts.clock.nowMs();
      for (const h of this.sentHandlers) h(this.id, bytes, at);
    }
  }

  close(): Promise<void> {
    this.closed = true;
    this.retry?.cancel();
    const s = this.socket;
    this.socket = null;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => { s.once('close', () => resolve()); s.destroy(); });
  }

  private connect(): void {
    if (this.closed) return;
    const verifier = this.opts.verifier;
    const decoder = new StreamDecoder((frame) => {
      if (!admitFrame(verifier, this.counters, frame)) return;
      this.counters.framesIn++;
      const receivedAtMs = this.opts.clock.nowMs();
      for (const h of this.frameHandlers) h({ remote: this.id, frame, receivedAtMs });
    }, this.counters.decode);
    const socket = net.connect({ host: this.opts.host, port: this.opts.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('connect', () => {
      this.connected = true;
      this.connections++;
      this.backoffMs = this.opts.backoffMinMs ?? 500;
    });
    socket.on('data', (chunk) => {
      this.counters.bytesIn += chunk.length;
      const at = this.opts.clock.nowMs();
      for (const h of this.bytesHandlers) h(this.id, chunk, at);
      decoder.push(chunk);
    });
    socket.on('error', () => { /* 'close' follows */ });
    socket.on('close', () => {
      this.connected = false;
      if (this.socket === socket) this.socket = null;
      if (this.closed) return;
      const delay = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, this.opts.backoffMaxMs ?? 10_000);
      this.retry = this.opts.clock.setTimeout(() => this.connect(), delay);
    });
  }
}
