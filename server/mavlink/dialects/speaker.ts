/**
 * The loudspeaker protocol's constants and text chunking, shared by the server's speaker client
 * and the simulated speaker (docs/speaker-protocol.md).
 */
export * from './eagle-speaker.ts';

/** MAV_COMP_ID_USER1: MAVLink has no component id for an audio payload; USER ids are for private components. */
export const SPEAKER_COMPID = 25;
/** HEARTBEAT.type of the speaker: it runs on the companion computer. */
export const SPEAKER_MAV_TYPE = 18; // MAV_TYPE_ONBOARD_CONTROLLER
/** Bytes of text per SPEAKER_SPEAK chunk (the `text` field). */
export const TEXT_CHUNK_BYTES = 230;
/** At most this many chunks per request (SPEAKER_STATUS.chunk_mask has 32 bits). */
export const MAX_CHUNKS = 32;
/** Longest text one request carries, in UTF-8 bytes (a little less when characters straddle chunks). */
export const MAX_TEXT_BYTES = TEXT_CHUNK_BYTES * MAX_CHUNKS;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/**
 * Split `text` into chunks of at most `chunkBytes` UTF-8 bytes, never inside a character.
 * Throws when the text needs more than MAX_CHUNKS chunks.
 */
export function splitText(text: string, chunkBytes = TEXT_CHUNK_BYTES): string[] {
  const bytes = encoder.encode(text);
  const chunks: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    let end = Math.min(bytes.length, at + chunkBytes);
    // back off to a character boundary: a UTF-8 continuation byte is 10xxxxxx
    while (end < bytes.length && end > at && (bytes[end]! & 0xc0) === 0x80) end--;
    chunks.push(decoder.decode(bytes.subarray(at, end)));
    at = end;
  }
  if (chunks.length === 0) chunks.push('');
  if (chunks.length > MAX_CHUNKS) throw new RangeError(`text of ${bytes.length} bytes needs ${chunks.length} chunks; at most ${MAX_CHUNKS}`);
  return chunks;
}

/** Bits 0 .. count-1 set. */
export function fullMask(count: number): number {
  return count >= 32 ? 0xffffffff : ((1 << count) >>> 0) - 1;
}

/** MAVLink char fields are cut at the first NUL: a text must not contain one. */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
}
