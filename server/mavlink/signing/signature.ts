/**
 * The 6-byte MAVLink 2 signature: the first 48 bits of
 * SHA-256(secret key ‖ header ‖ payload ‖ CRC ‖ link id ‖ timestamp).
 * The header includes the start byte (as the C library and node-mavlink hash it).
 */
import { createHash } from 'node:crypto';

export const KEY_LENGTH = 32;
export const SIGNATURE_HASH_LENGTH = 6;
/** Link id (1) + timestamp (6): the part of the trailer that is hashed. */
export const SIGNED_TRAILER_PREFIX = 7;

/**
 * Hash of `frame[0, signedLength)` under `key`; signedLength ends after the timestamp
 * (frame length without signature + 7). Returns a fresh 6-byte buffer.
 */
export function computeSignature(key: Uint8Array, frame: Uint8Array, signedLength: number): Buffer {
  return createHash('sha256').update(key).update(frame.subarray(0, signedLength)).digest().subarray(0, SIGNATURE_HASH_LENGTH);
}

export function assertKey(key: Uint8Array): void {
  if (key.length !== KEY_LENGTH) throw new Error(`a MAVLink signing key is ${KEY_LENGTH} bytes, got ${key.length}`);
}
