/**
 * MAVLink 2 signing timestamps: a 48-bit count of 10 µs units since 2015-01-01 00:00:00 UTC,
 * written little-endian at byte 1 of the 13-byte signature trailer (after the link id).
 */
export const SIGNING_EPOCH_MS = Date.UTC(2015, 0, 1);
export const UNITS_PER_MS = 100;
export const MAX_SIGNING_TIMESTAMP = 2 ** 48 - 1;

/** The signing timestamp for a wall-clock time (ms since the Unix epoch). */
export function signingTimestampAt(nowMs: number): number {
  return Math.max(0, Math.floor((nowMs - SIGNING_EPOCH_MS) * UNITS_PER_MS));
}

/** Wall-clock time (ms since the Unix epoch) of a signing timestamp. */
export function signingTimestampToMs(ts: number): number {
  return SIGNING_EPOCH_MS + ts / UNITS_PER_MS;
}

export function readSigningTimestamp(bytes: Uint8Array, at: number): number {
  let v = 0;
  for (let i = 5; i >= 0; i--) v = v * 256 + bytes[at + i]!;
  return v;
}

export function writeSigningTimestamp(bytes: Uint8Array, at: number, ts: number): void {
  let v = ts;
  for (let i = 0; i < 6; i++) {
    bytes[at + i] = v % 256;
    v = Math.floor(v / 256);
  }
}
