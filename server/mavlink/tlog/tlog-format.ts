/**
 * The .tlog format (MAVProxy, QGroundControl, Mission Planner): a plain concatenation of records,
 * each a 64-bit big-endian time in microseconds since the Unix epoch followed by one MAVLink
 * frame (v1 or v2, signature included when signed). No file header.
 */
import { decodeDatagram, newDecodeCounters, type DecodeCounters } from '../frame-decoder.ts';
import { CRC_LENGTH, HEADER_V1, HEADER_V2, IFLAG_SIGNED, SIGNATURE_LENGTH, STX_V1, STX_V2, type Frame } from '../frame.ts';

export const TLOG_TIME_LENGTH = 8;
/** Plausible record times: 2000-01-01 … 2100-01-01 (used to resynchronise on a damaged file). */
const MIN_TIME_US = Date.UTC(2000, 0, 1) * 1000;
const MAX_TIME_US = Date.UTC(2100, 0, 1) * 1000;
const TWO_32 = 2 ** 32;

export interface TlogRecord {
  /** Microseconds since the Unix epoch. */
  timestampUs: number;
  /** The frame, a view into the file's bytes. */
  frame: Frame;
}

export interface TlogReadCounters {
  records: number;
  /** Bytes skipped to find the next record (a damaged or foreign file). */
  skippedBytes: number;
  /** Bytes at the end that do not hold a whole record (a file still being written). */
  truncatedTailBytes: number;
  decode: DecodeCounters;
}

export function newTlogReadCounters(): TlogReadCounters {
  return { records: 0, skippedBytes: 0, truncatedTailBytes: 0, decode: newDecodeCounters() };
}

/** Length of the frame that starts at bytes[at] from its header, or 0 when it is not a start byte. */
export function declaredFrameLength(bytes: Uint8Array, at: number): number {
  const stx = bytes[at];
  if (stx === STX_V2) {
    if (at + 3 > bytes.length) return HEADER_V2 + CRC_LENGTH;
    return HEADER_V2 + bytes[at + 1]! + CRC_LENGTH + ((bytes[at + 2]! & IFLAG_SIGNED) !== 0 ? SIGNATURE_LENGTH : 0);
  }
  if (stx === STX_V1) return HEADER_V1 + (at + 1 < bytes.length ? bytes[at + 1]! : 0) + CRC_LENGTH;
  return 0;
}

/** Write the 8-byte big-endian time of a record at out[at]. */
export function writeRecordTime(out: Uint8Array, at: number, timestampUs: number): void {
  const us = Math.max(0, Math.round(timestampUs));
  const hi = Math.floor(us / TWO_32);
  const lo = us - hi * TWO_32;
  out[at] = hi >>> 24; out[at + 1] = (hi >>> 16) & 0xff; out[at + 2] = (hi >>> 8) & 0xff; out[at + 3] = hi & 0xff;
  out[at + 4] = lo >>> 24; out[at + 5] = (lo >>> 16) & 0xff; out[at + 6] = (lo >>> 8) & 0xff; out[at + 7] = lo & 0xff;
}

export function readRecordTime(bytes: Uint8Array, at: number): number {
  const hi = ((bytes[at]! << 24) >>> 0) + (bytes[at + 1]! << 16) + (bytes[at + 2]! << 8) + bytes[at + 3]!;
  const lo = ((bytes[at + 4]! << 24) >>> 0) + (bytes[at + 5]! << 16) + (bytes[at + 6]! << 8) + bytes[at + 7]!;
  return hi * TWO_32 + lo;
}

/** One record as bytes (for tests and tools; the writer packs records into chunks itself). */
export function encodeRecord(timestampUs: number, frame: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(TLOG_TIME_LENGTH + frame.length);
  writeRecordTime(out, 0, timestampUs);
  out.set(frame, TLOG_TIME_LENGTH);
  return out;
}

/**
 * The records of a tlog, in file order. Each frame's CRC is checked; on anything that is not a
 * plausible record the reader moves one byte on and tries again, so a damaged region costs only
 * the records in it.
 */
export function* readTlog(bytes: Uint8Array, counters: TlogReadCounters = newTlogReadCounters()): Generator<TlogRecord> {
  let pos = 0;
  const frames: Frame[] = [];
  const sink = (f: Frame) => frames.push(f);
  while (pos + TLOG_TIME_LENGTH < bytes.length) {
    const at = pos + TLOG_TIME_LENGTH;
    const timestampUs = readRecordTime(bytes, pos);
    const length = declaredFrameLength(bytes, at);
    if (length === 0 || timestampUs < MIN_TIME_US || timestampUs > MAX_TIME_US) { counters.skippedBytes++; pos++; continue; }
    if (at + length > bytes.length) { counters.truncatedTailBytes = bytes.length - pos; return; }
    frames.length = 0;
    decodeDatagram(bytes.subarray(at, at + length), sink, counters.decode);
    const frame = frames[0];
    if (!frame || frame.raw.length !== length) { counters.skippedBytes++; pos++; continue; }
    counters.records++;
    pos = at + length;
    yield { timestampUs, frame };
  }
  if (pos < bytes.length) counters.truncatedTailBytes = bytes.length - pos;
}
