/**
 * Records every attached link's traffic, both directions, as .tlog files:
 *   <dir>/<link slug>/<YYYY-MM-DD>_<HH-MM-SS>.tlog
 * Incoming: each frame the link delivers (after the signature gate on a signed link), stamped
 * with its receive time. Outgoing: each frame handed to the transport, stamped with its send time.
 * One record per frame, so a datagram with several frames gives several records.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock, TimerHandle } from '../../time/clock.ts';
import { decodeDatagram, newDecodeCounters } from '../frame-decoder.ts';
import type { Link } from '../links/link.ts';
import { declaredFrameLength } from './tlog-format.ts';
import { TlogSink, type TlogSinkCounters } from './tlog-sink.ts';

export interface TlogWriterOptions {
  /** Usually EAGLE_DATA/tlogs. */
  dir: string;
  clock: Clock;
  logger?: Logger;
  maxFileBytes?: number;
  /** Per link. */
  maxBufferedBytes?: number;
  /** Partly filled chunks go to the disk at least this often. Default 1000 ms. */
  flushIntervalMs?: number;
}

/** A link id as a folder name: "udp:127.0.0.1:14550" → "udp_127.0.0.1_14550". */
export function linkSlug(linkId: string): string {
  return linkId.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^_+|_+$/g, '') || 'link';
}

export class TlogWriter {
  private readonly sinks = new Map<string, TlogSink>();
  private readonly timer: TimerHandle;
  private readonly scratch = newDecodeCounters();

  constructor(private readonly opts: TlogWriterOptions) {
    this.timer = opts.clock.setInterval(() => { for (const s of this.sinks.values()) s.seal(); }, opts.flushIntervalMs ?? 1000);
  }

  attach(link: Link): TlogSink {
    const existing = this.sinks.get(link.id);
    if (existing) return existing;
    let warned = false;
    const sink = new TlogSink({
      dir: join(this.opts.dir, linkSlug(link.id)),
      maxFileBytes: this.opts.maxFileBytes,
      maxBufferedBytes: this.opts.maxBufferedBytes,
      onError: (err) => {
        if (warned) return;
        warned = true; // once per link: a full disk must not flood the log
        this.opts.logger?.error({ link: link.id, err: err.message }, 'flight log write failed; frames are being dropped from the log');
      },
    });
    this.sinks.set(link.id, sink);
    link.onFrame(({ frame, receivedAtMs }) => sink.record(receivedAtMs * 1000, frame.raw));
    link.onSent((_remote, bytes, sentAtMs) => this.recordSent(sink, bytes, sentAtMs * 1000));
    return sink;
  }

  sink(linkId: string): TlogSink | undefined {
    return this.sinks.get(linkId);
  }

  stats(linkId: string): TlogSinkCounters | null {
    return this.sinks.get(linkId)?.counters ?? null;
  }

  async flush(): Promise<void> {
    await Promise.all([...this.sinks.values()].map((s) => s.flush()));
  }

  async close(): Promise<void> {
    this.timer.cancel();
    await Promise.all([...this.sinks.values()].map((s) => s.close()));
  }

  private recordSent(sink: TlogSink, bytes: Uint8Array, atUs: number): void {
    // `send` normally carries exactly one frame; anything else is split into frames
    if (declaredFrameLength(bytes, 0) === bytes.length) return sink.record(atUs, bytes);
    decodeDatagram(bytes, (f) => sink.record(atUs, f.raw), this.scratch);
  }
}
