/**
 * Signs every frame sent on one link (FrameSigner for FrameEncoder). One signer per link, shared
 * by every endpoint's encoder, so timestamps are strictly increasing over the whole link:
 * max(now, last + 1), never repeating even for back-to-back frames (node-mavlink's `sign()`
 * repeats them, and ArduPilot / PX4 drop the repeats as replays).
 */
import type { FrameSigner } from '../frame-encoder.ts';
import type { Clock } from '../../time/clock.ts';
import { assertKey, computeSignature, SIGNED_TRAILER_PREFIX } from './signature.ts';
import { MAX_SIGNING_TIMESTAMP, signingTimestampAt, writeSigningTimestamp } from './timestamp.ts';
import type { TimestampStore } from './timestamp-store.ts';

export interface LinkSignerOptions {
  key: Uint8Array;
  clock: Clock;
  /** The link id written in every signature (0 unless the vehicle side expects another). */
  linkId?: number;
  /** Persistence of the last timestamp; without it a restart may reuse timestamps. */
  store?: TimestampStore | null;
}

export class LinkSigner implements FrameSigner {
  readonly linkId: number;
  private readonly key: Buffer;
  private readonly clock: Clock;
  private readonly store: TimestampStore | null;
  private last: number;
  /** Frames signed since start. */
  signed = 0;

  constructor(opts: LinkSignerOptions) {
    assertKey(opts.key);
    const linkId = opts.linkId ?? 0;
    if (!Number.isInteger(linkId) || linkId < 0 || linkId > 255) throw new Error(`signing link id must be 0..255, got ${linkId}`);
    this.linkId = linkId;
    this.key = Buffer.from(opts.key);
    this.clock = opts.clock;
    this.store = opts.store ?? null;
    this.last = this.store?.load() ?? 0;
  }

  /** The last timestamp used (or restored at start). */
  get lastTimestamp(): number {
    return this.last;
  }

  /** The next timestamp: the clock's, or one above the last when the clock has not moved on. */
  nextTimestamp(): number {
    const ts = Math.max(signingTimestampAt(this.clock.nowMs()), this.last + 1);
    if (ts > MAX_SIGNING_TIMESTAMP) throw new Error('signing timestamp overflow (48 bits)');
    this.store?.reserve(ts);
    this.last = ts;
    return ts;
  }

  /** Writes the 13-byte trailer at frame[length]; the signed flag and CRC are already set. */
  sign(frame: Uint8Array, length: number): void {
    const ts = this.nextTimestamp();
    frame[length] = this.linkId;
    writeSigningTimestamp(frame, length + 1, ts);
    frame.set(computeSignature(this.key, frame, length + SIGNED_TRAILER_PREFIX), length + SIGNED_TRAILER_PREFIX);
    this.signed++;
  }

  /** Persist the last timestamp (clean stop). */
  close(): void {
    this.store?.save(this.last);
  }
}
