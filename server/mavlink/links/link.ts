/**
 * A link carries MAVLink frames between the server and the vehicles behind one transport.
 * A UDP link listens and serves any number of remote endpoints; a TCP link connects out to one.
 */
import type { DecodeCounters } from '../frame-decoder.ts';
import type { Frame } from '../frame.ts';
import type { FrameVerifier } from '../signing/signature-verifier.ts';

export interface LinkCounters {
  /** Frames delivered to the handlers (after signature checks on a signed link). */
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** Frames that could not be sent (no peer, socket closed, send error). */
  sendErrors: number;
  /** Signed links: unsigned frames dropped. */
  unsigned: number;
  /** Signed links: frames with a wrong signature dropped. */
  badSignature: number;
  /** Signed links: replayed or too old frames dropped. */
  replayed: number;
  decode: DecodeCounters;
}

export interface ReceivedFrame {
  /** Remote endpoint key: "HOST:PORT" for UDP, the link id for TCP. */
  remote: string;
  frame: Frame;
  receivedAtMs: number;
}

export type FrameHandler = (received: ReceivedFrame) => void;
/** Raw bytes as received (for flight logs), with their receive time. */
export type BytesHandler = (remote: string, bytes: Uint8Array, receivedAtMs: number) => void;
/** Bytes handed to the transport by `send` (normally one encoded frame), with the send time. */
export type SentHandler = (remote: string, bytes: Uint8Array, sentAtMs: number) => void;

export interface Link {
  /** As configured, e.g. "udp:127.0.0.1:14550"; part of every vehicle key. */
  readonly id: string;
  readonly counters: LinkCounters;
  onFrame(handler: FrameHandler): void;
  onBytes(handler: BytesHandler): void;
  /** Every successful `send`, for flight logs. */
  onSent(handler: SentHandler): void;
  send(remote: string, bytes: Uint8Array): void;
  start(): Promise<void>;
  close(): Promise<void>;
  /** Where the link listens or connects, once started (the UDP port may be ephemeral). */
  address(): { host: string; port: number };
}

export function newLinkCounters(decode: DecodeCounters): LinkCounters {
  return { framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0, sendErrors: 0, unsigned: 0, badSignature: 0, replayed: 0, decode };
}

/**
 * The signature gate of a link: true when the frame may reach the handlers. Without a verifier
 * every frame passes; with one, refused frames are counted by verdict and dropped.
 */
export function admitFrame(verifier: FrameVerifier | null | undefined, counters: LinkCounters, frame: Frame): boolean {
  if (!verifier) return true;
  const verdict = verifier.check(frame);
  if (verdict === 'ok') return true;
  counters[verdict]++;
  return false;
}
