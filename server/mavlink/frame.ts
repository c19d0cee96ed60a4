/** A MAVLink frame as it came off the wire: header fields and views into the received bytes. */
export const STX_V1 = 0xfe;
export const STX_V2 = 0xfd;
export const HEADER_V1 = 6;
export const HEADER_V2 = 10;
export const CRC_LENGTH = 2;
export const SIGNATURE_LENGTH = 13;
export const IFLAG_SIGNED = 0x01;
/** Longest possible frame: MAVLink 2 header + 255 payload + CRC + signature. */
export const MAX_FRAME_LENGTH = HEADER_V2 + 255 + CRC_LENGTH + SIGNATURE_LENGTH;

export interface Frame {
  version: 1 | 2;
  seq: number;
  sysid: number;
  compid: number;
  msgid: number;
  incompatFlags: number;
  /** Payload bytes as sent (MAVLink 2 may have trimmed trailing zeros). A view, not a copy. */
  payload: Uint8Array;
  /** The whole frame, signature included. A view into the datagram. */
  raw: Uint8Array;
  /** The 13-byte signature trailer, when the frame is signed. */
  signature: Uint8Array | null;
}
