/**
 * Checks incoming frames on a link that has a signing key:
 * - the signature, compared in constant time (crypto.timingSafeEqual);
 * - replay protection per (sysid, compid, link id) stream: a timestamp must be strictly greater
 *   than the last one accepted on that stream; a stream we have not seen yet is refused when its
 *   first timestamp is more than one minute older than the newest seen on the link (the spec's
 *   window, applied where the reference C library applies it: to new streams only, so a vehicle
 *   whose clock lags another's — one that jumped ahead on GPS lock — is not cut off mid-flight;
 *   an old frame of a known stream is refused by the first rule anyway);
 * - policy: when signing is required, unsigned frames (and MAVLink 1 frames, which cannot be
 *   signed) are refused.
 * State changes only for frames whose signature is good, so forged frames cannot move the
 * replay window or grow the stream table.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Frame } from '../frame.ts';
import { assertKey, computeSignature, SIGNATURE_HASH_LENGTH, SIGNED_TRAILER_PREFIX } from './signature.ts';
import { readSigningTimestamp, UNITS_PER_MS } from './timestamp.ts';

export type Verdict = 'ok' | 'unsigned' | 'badSignature' | 'replayed';

/** What a link needs to filter frames. */
export interface FrameVerifier {
  check(frame: Frame): Verdict;
}

export interface SignatureVerifierOptions {
  key: Uint8Array;
  /** Refuse unsigned frames (default true: a link with a key requires signing). */
  requireSigning?: boolean;
  /** How much older than the newest timestamp on the link a frame may be. Default 60 000 ms. */
  windowMs?: number;
  /**
   * Message ids accepted unsigned even when signing is required (the spec allows this for e.g.
   * RADIO_STATUS from a local radio). Default none.
   */
  acceptUnsignedMsgids?: readonly number[];
}

export class SignatureVerifier implements FrameVerifier {
  private readonly key: Buffer;
  private readonly requireSigning: boolean;
  private readonly windowUnits: number;
  /** Last accepted timestamp per stream: sysid << 16 | compid << 8 | link id. */
  private readonly streams = new Map<number, number>();
  private newest = 0;
  private readonly acceptUnsigned: ReadonlySet<number>;

  constructor(opts: SignatureVerifierOptions) {
    assertKey(opts.key);
    this.key = Buffer.from(opts.key);
    this.requireSigning = opts.requireSigning ?? true;
    this.windowUnits = (opts.windowMs ?? 60_000) * UNITS_PER_MS;
    this.acceptUnsigned = new Set(opts.acceptUnsignedMsgids ?? []);
  }

  check(frame: Frame): Verdict {
    const sig = frame.signature;
    if (!sig) return this.requireSigning && !this.acceptUnsigned.has(frame.msgid) ? 'unsigned' : 'ok';
    const raw = frame.raw;
    const signedLength = raw.length - SIGNATURE_HASH_LENGTH;
    const expected = computeSignature(this.key, raw, signedLength);
    if (!timingSafeEqual(expected, sig.subarray(SIGNED_TRAILER_PREFIX, SIGNED_TRAILER_PREFIX + SIGNATURE_HASH_LENGTH))) return 'badSignature';
    const linkId = sig[0]!;
    const ts = readSigningTimestamp(sig, 1);
    const stream = (frame.sysid << 16) | (frame.compid << 8) | linkId;
    const last = this.streams.get(stream);
    if (last !== undefined ? ts <= last : ts + this.windowUnits < this.newest) return 'replayed';
    this.streams.set(stream, ts);
    if (ts > this.newest) this.newest = ts;
    return 'ok';
  }

  /** Streams with accepted frames (observability). */
  get streamCount(): number {
    return this.streams.size;
  }
}
