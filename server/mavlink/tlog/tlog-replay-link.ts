/**
 * Plays a .tlog back as a virtual link, so the fleet sees a recorded flight again: each frame is
 * delivered at its recorded offset from the first record, divided by `speed`, on the injected
 * clock. Every frame comes from one remote endpoint (a tlog does not record endpoints), so
 * vehicles are told apart by sysid. Frames the server sends to a replayed vehicle are counted
 * and discarded. The recorded frames include the ground station's own (sysid 255); the fleet
 * ignores them as it ignores any other ground station.
 */
import { readFile } from 'node:fs/promises';
import type { Clock, TimerHandle } from '../../time/clock.ts';
import { newDecodeCounters } from '../frame-decoder.ts';
import { newLinkCounters, type BytesHandler, type FrameHandler, type Link, type LinkCounters, type SentHandler } from '../links/link.ts';
import { newTlogReadCounters, readTlog, type TlogReadCounters, type TlogRecord } from './tlog-format.ts';

export interface TlogReplayLinkOptions {
  /** The link id, e.g. "tlog:flights/2026-11-29_10-00-00.tlog". */
  id: string;
  path: string;
  clock: Clock;
  /** 1 = real time, 10 = ten times faster. */
  speed?: number;
  /** The remote endpoint every frame comes from. Default "tlog". */
  remote?: string;
  /** Most frames delivered in one turn of the event loop (the rest follow at once). */
  batchLimit?: number;
}

export class TlogReplayLink implements Link {
  readonly id: string;
  readonly counters: LinkCounters = newLinkCounters(newDecodeCounters());
  readonly read: TlogReadCounters = newTlogReadCounters();
  readonly speed: number;
  readonly remote: string;
  /** Resolves when the last frame has been delivered (or the link was closed). */
  readonly done: Promise<void>;
  private readonly frameHandlers: FrameHandler[] = [];
  private readonly bytesHandlers: BytesHandler[] = [];
  private readonly sentHandlers: SentHandler[] = [];
  private records: Generator<TlogRecord> | null = null;
  private next: TlogRecord | null = null;
  private firstUs = 0;
  private startMs = 0;
  private timer: TimerHandle | null = null;
  private closed = false;
  private finish!: () => void;
  /** Recorded time (µs) of the last delivered frame. */
  lastRecordedUs = 0;

  constructor(private readonly opts: TlogReplayLinkOptions) {
    if (!(opts.speed === undefined || (Number.isFinite(opts.speed) && opts.speed > 0))) throw new Error(`replay speed must be a positive number, got ${opts.speed}`);
    this.id = opts.id;
    this.speed = opts.speed ?? 1;
    this.remote = opts.remote ?? 'tlog';
    this.done = new Promise((resolve) => { this.finish = resolve; });
  }

  onFrame(handler: FrameHandler): void { this.frameHandlers.push(handler); }
  onBytes(handler: BytesHandler): void { this.bytesHandlers.push(handler); }
  onSent(handler: SentHandler): void { this.sentHandlers.push(handler); }

  /** Reads the file and starts playing; rejects when the file cannot be read. */
  async start(): Promise<void> {
    const bytes = await readFile(this.opts.path);
    this.records = readTlog(bytes, this.read);
    this.next = this.pull();
    if (!this.next) { this.end(); return; }
    this.firstUs = this.next.timestampUs;
    this.startMs = this.opts.clock.nowMs();
    this.deliver();
  }

  address(): { host: string; port: number } {
    return { host: this.opts.path, port: 0 };
  }

  send(remote: string, bytes: Uint8Array): void {
    if (this.closed) { this.counters.sendErrors++; return; }
    this.counters.framesOut++;
    this.counters.bytesOut += bytes.length;
    if (this.sentHandlers.length > 0) {
      const at = this.opts.clock.nowMs();
      for (const h of this.sentHandlers) h(remote, bytes, at);
    }
  }

  close(): Promise<void> {
    this.closed = true;
    this.timer?.cancel();
    this.end();
    return Promise.resolve();
  }

  /** True once every frame has been delivered. */
  get finished(): boolean {
    return this.next === null && this.records !== null;
  }

  private pull(): TlogRecord | null {
    const r = this.records?.next();
    return r && !r.done ? r.value : null;
  }

  /** Recorded offset → due time on the clock. */
  private dueMs(record: TlogRecord): number {
    return this.startMs + (record.timestampUs - this.firstUs) / 1000 / this.speed;
  }

  private deliver(): void {
    this.timer = null;
    if (this.closed) return;
    const limit = this.opts.batchLimit ?? 1000;
    let n = 0;
    while (this.next && this.dueMs(this.next) <= this.opts.clock.nowMs() && n < limit) {
      this.emit(this.next);
      this.next = this.pull();
      n++;
    }
    if (!this.next) { this.end(); return; }
    const delay = n >= limit ? 0 : Math.max(0, this.dueMs(this.next) - this.opts.clock.nowMs());
    this.timer = this.opts.clock.setTimeout(() => this.deliver(), delay);
  }

  private emit({ timestampUs, frame }: TlogRecord): void {
    const receivedAtMs = this.opts.clock.nowMs();
    this.lastRecordedUs = timestampUs;
    this.counters.bytesIn += frame.raw.length;
    for (const h of this.bytesHandlers) h(this.remote, frame.raw, receivedAtMs);
    this.counters.framesIn++;
    for (const h of this.frameHandlers) h({ remote: this.remote, frame, receivedAtMs });
  }

  private end(): void {
    this.finish();
  }
}
