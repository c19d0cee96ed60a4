/**
 * Frame encoder for one sender (sysid, compid) towards one peer: MAVLink 2 by default, its own
 * sequence counter, trailing-zero truncation, optional signing (the signer writes the trailer).
 */
import { mavlinkCrc } from './crc.ts';
import { registry as defaultRegistry, type MessageClass, type MessageDefinition, type MessageOf, type MessageRegistry } from './definitions.ts';
import { CRC_LENGTH, HEADER_V1, HEADER_V2, IFLAG_SIGNED, MAX_FRAME_LENGTH, SIGNATURE_LENGTH, STX_V1, STX_V2 } from './frame.ts';
import { encodePayload } from './payload.ts';

/** Writes the 13-byte signature of frame[0, length) at frame[length]. */
export interface FrameSigner {
  sign(frame: Uint8Array, length: number): void;
}

/** The fields of a message, in node-mavlink's names; omitted fields are sent as 0. */
export type MessageFields<C> = Partial<Omit<MessageOf<C>, never>> & Record<string, unknown>;

export interface FrameEncoderOptions {
  sysid: number;
  compid: number;
  version?: 1 | 2;
  signer?: FrameSigner | null;
  registry?: MessageRegistry;
}

export class FrameEncoder {
  readonly sysid: number;
  readonly compid: number;
  version: 1 | 2;
  signer: FrameSigner | null;
  private seq = 0;
  private readonly reg: MessageRegistry;
  private readonly work = new Uint8Array(MAX_FRAME_LENGTH);

  constructor(opts: FrameEncoderOptions) {
    this.sysid = opts.sysid;
    this.compid = opts.compid;
    this.version = opts.version ?? 2;
    this.signer = opts.signer ?? null;
    this.reg = opts.registry ?? defaultRegistry;
  }

  encode<C extends MessageClass>(clazz: C, fields: MessageFields<C>): Buffer {
    return this.encodeDefinition(this.reg.of(clazz), fields as Record<string, unknown>);
  }

  encodeDefinition(def: MessageDefinition, fields: Record<string, unknown>): Buffer {
    const out = this.work;
    const seq = this.seq;
    this.seq = (this.seq + 1) & 0xff;
    if (this.version === 1) {
      if (def.id > 255) throw new Error(`${def.name} (id ${def.id}) cannot be sent as MAVLink 1`);
      const len = encodePayload(def, fields, out, HEADER_V1, false);
      out[0] = STX_V1; out[1] = len; out[2] = seq; out[3] = this.sysid; out[4] = this.compid; out[5] = def.id;
      const crc = mavlinkCrc(out, 1, HEADER_V1 + len, def.crcExtra);
      out[HEADER_V1 + len] = crc & 0xff; out[HEADER_V1 + len + 1] = crc >>> 8;
      return Buffer.from(out.subarray(0, HEADER_V1 + len + CRC_LENGTH));
    }
    let len = encodePayload(def, fields, out, HEADER_V2, true);
    while (len > 1 && out[HEADER_V2 + len - 1] === 0) len--;
    const signed = this.signer !== null;
    out[0] = STX_V2; out[1] = len; out[2] = signed ? IFLAG_SIGNED : 0; out[3] = 0; out[4] = seq;
    out[5] = this.sysid; out[6] = this.compid;
    out[7] = def.id & 0xff; out[8] = (def.id >>> 8) & 0xff; out[9] = (def.id >>> 16) & 0xff;
    const crcAt = HEADER_V2 + len;
    const crc = mavlinkCrc(out, 1, crcAt, def.crcExtra);
    out[crcAt] = crc & 0xff; out[crcAt + 1] = crc >>> 8;
    let total = crcAt + CRC_LENGTH;
    if (this.signer) {
      this.signer.sign(out, total);
      total += SIGNATURE_LENGTH;
    }
    return Buffer.from(out.subarray(0, total));
  }
}
