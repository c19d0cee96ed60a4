/**
 * Frame decoder. UDP: every datagram is decoded on its own (`decodeDatagram`), never carrying bytes
 * into the next one, so a junk or truncated datagram cannot swallow the good frames after it.
 * TCP: `StreamDecoder` keeps at most one partial frame (≤ MAX_FRAME_LENGTH bytes) between chunks.
 *
 * At each candidate start byte: check the header fits, the declared length fits, the message id is
 * known and the CRC matches. Any failure counts once and resynchronises one byte further on.
 */
import { mavlinkCrc } from './crc.ts';
import { registry as defaultRegistry, type MessageRegistry } from './definitions.ts';
import {
  CRC_LENGTH, HEADER_V1, HEADER_V2, IFLAG_SIGNED, MAX_FRAME_LENGTH, SIGNATURE_LENGTH, STX_V1, STX_V2,
  type Frame,
} from './frame.ts';

export interface DecodeCounters {
  frames: number;
  /** Candidate frames that failed the CRC. */
  badCrc: number;
  /** Candidate frames whose declared length runs past the end of the datagram. */
  truncated: number;
  /** Frames with a message id we have no definition for (their CRC cannot be checked). */
  unknownMsgid: number;
  /** MAVLink 2 frames with incompatibility flags we do not understand. */
  badFlags: number;
  /** Bytes skipped while looking for a start marker. */
  junkBytes: number;
}

export function newDecodeCounters(): DecodeCounters {
  return { frames: 0, badCrc: 0, truncated: 0, unknownMsgid: 0, badFlags: 0, junkBytes: 0 };
}

/** Bad frames of all kinds: what the per-link "bad frames" counter reports. */
export function badFrames(c: DecodeCounters): number {
  return c.badCrc + c.truncated + c.unknownMsgid + c.badFlags;
}

export type FrameSink = (frame: Frame) => void;

const enum Candidate { Ok, Bad, Incomplete }

interface Walk {
  result: Candidate;
  length: number;
}

function examine(bytes: Uint8Array, at: number, end: number, counters: DecodeCounters, reg: MessageRegistry, walk: Walk): Frame | null {
  const stx = bytes[at];
  const headerLength = stx === STX_V2 ? HEADER_V2 : HEADER_V1;
  if (end - at < headerLength) { walk.result = Candidate.Incomplete; return null; }
  const payloadLength = bytes[at + 1]!;
  let incompatFlags = 0;
  let seq: number, sysid: number, compid: number, msgid: number;
  if (stx === STX_V2) {
    incompatFlags = bytes[at + 2]!;
    seq = bytes[at + 4]!;
    sysid = bytes[at + 5]!;
    compid = bytes[at + 6]!;
    msgid = bytes[at + 7]! | (bytes[at + 8]! << 8) | (bytes[at + 9]! << 16);
  } else {
    seq = bytes[at + 2]!;
    sysid = bytes[at + 3]!;
    compid = bytes[at + 4]!;
    msgid = bytes[at + 5]!;
  }
  const signed = (incompatFlags & IFLAG_SIGNED) !== 0;
  const frameLength = headerLength + payloadLength + CRC_LENGTH + (signed ? SIGNATURE_LENGTH : 0);
  if (end - at < frameLength) { walk.result = Candidate.Incomplete; return null; }
  if ((incompatFlags & ~IFLAG_SIGNED) !== 0) { counters.badFlags++; walk.result = Candidate.Bad; return null; }
  const def = reg.get(msgid);
  if (!def) { counters.unknownMsgid++; walk.result = Candidate.Bad; return null; }
  const crcAt = at + headerLength + payloadLength;
  const crc = mavlinkCrc(bytes, at + 1, crcAt, def.crcExtra);
  if (crc !== (bytes[crcAt]! | (bytes[crcAt + 1]! << 8))) { counters.badCrc++; walk.result = Candidate.Bad; return null; }
  walk.result = Candidate.Ok;
  walk.length = frameLength;
  return {
    version: stx === STX_V2 ? 2 : 1,
    seq, sysid, compid, msgid, incompatFlags,
    payload: bytes.subarray(at + headerLength, crcAt),
    raw: bytes.subarray(at, at + frameLength),
    signature: signed ? bytes.subarray(crcAt + CRC_LENGTH, at + frameLength) : null,
  };
}

const walkState: Walk = { result: Candidate.Ok, length: 0 };

/**
 * Walk bytes[start, end). Returns the index where an incomplete candidate begins when
 * `keepIncomplete` (stream mode), else `end`.
 */
function walk(bytes: Uint8Array, start: number, end: number, sink: FrameSink, counters: DecodeCounters, reg: MessageRegistry, keepIncomplete: boolean): number {
  let at = start;
  while (at < end) {
    const b = bytes[at];
    if (b !== STX_V2 && b !== STX_V1) { counters.junkBytes++; at++; continue; }
    const frame = examine(bytes, at, end, counters, reg, walkState);
    if (frame) {
      counters.frames++;
      sink(frame);
      at += walkState.length;
    } else if (walkState.result === Candidate.Incomplete) {
      if (keepIncomplete) return at;
      counters.truncated++;
      at++;
    } else {
      at++;
    }
  }
  return end;
}

/** Decode one UDP datagram. Every good frame in it reaches `sink`, whatever else it holds. */
export function decodeDatagram(datagram: Uint8Array, sink: FrameSink, counters: DecodeCounters, reg: MessageRegistry = defaultRegistry): void {
  walk(datagram, 0, datagram.length, sink, counters, reg, false);
}

/**
 * Decoder for a byte stream (TCP, serial, tlog bodies). Holds at most one partial frame between
 * chunks, so memory stays bounded whatever arrives. Frames handed to the sink are views into the
 * received bytes (never reused), so they may be kept.
 */
export class StreamDecoder {
  private pending: Uint8Array = new Uint8Array(0);
  readonly counters: DecodeCounters;

  constructor(private readonly sink: FrameSink, counters?: DecodeCounters, private readonly reg: MessageRegistry = defaultRegistry) {
    this.counters = counters ?? newDecodeCounters();
  }

  push(chunk: Uint8Array): void {
    let bytes: Uint8Array;
    if (this.pending.length === 0) bytes = chunk;
    else {
      bytes = new Uint8Array(this.pending.length + chunk.length);
      bytes.set(this.pending);
      bytes.set(chunk, this.pending.length);
    }
    const keepFrom = walk(bytes, 0, bytes.length, this.sink, this.counters, this.reg, true);
    const rest = bytes.length - keepFrom;
    // A partial frame is never longer than MAX_FRAME_LENGTH; copy it so the chunk can be released.
    this.pending = rest > 0 ? bytes.slice(keepFrom, keepFrom + Math.min(rest, MAX_FRAME_LENGTH)) : new Uint8Array(0);
  }

  /** Bytes held for an incomplete frame (bounded by MAX_FRAME_LENGTH). */
  get pendingBytes(): number {
    return this.pending.length;
  }
}
