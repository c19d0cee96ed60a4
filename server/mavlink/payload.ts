/**
 * Payload codec: decodes a (possibly zero-truncated) MAVLink payload into a plain object with
 * node-mavlink's field names, and encodes one back. No padding of every payload to 255 bytes,
 * no protocol objects: a field-table walk over a DataView.
 */
import { FieldKind, type FieldDefinition, type MessageDefinition } from './definitions.ts';

const scratch = new Uint8Array(256);
const scratchView = new DataView(scratch.buffer);
const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf8Encoder = new TextEncoder();

type Decoded = Record<string, unknown>;

function readScalar(view: DataView, kind: FieldKind, at: number): number | bigint {
  switch (kind) {
    case FieldKind.U8: return view.getUint8(at);
    case FieldKind.I8: return view.getInt8(at);
    case FieldKind.U16: return view.getUint16(at, true);
    case FieldKind.I16: return view.getInt16(at, true);
    case FieldKind.U32: return view.getUint32(at, true);
    case FieldKind.I32: return view.getInt32(at, true);
    case FieldKind.U64: return view.getBigUint64(at, true);
    case FieldKind.I64: return view.getBigInt64(at, true);
    case FieldKind.F32: return view.getFloat32(at, true);
    case FieldKind.F64: return view.getFloat64(at, true);
    default: return view.getUint8(at);
  }
}

function readText(bytes: Uint8Array, at: number, length: number): string {
  let end = at;
  const limit = at + length;
  while (end < limit && bytes[end] !== 0) end++;
  return utf8.decode(bytes.subarray(at, end));
}

/** Decode `payload` (may be shorter than the definition: MAVLink 2 trims trailing zeros). */
export function decodePayload<T = Decoded>(def: MessageDefinition, payload: Uint8Array): T {
  let bytes: Uint8Array;
  let view: DataView;
  if (payload.length >= def.payloadLength) {
    bytes = payload;
    view = new DataView(payload.buffer, payload.byteOffset, payload.length);
  } else {
    scratch.fill(0, 0, def.payloadLength);
    scratch.set(payload);
    bytes = scratch;
    view = scratchView;
  }
  const out: Decoded = {};
  for (const f of def.fields) out[f.name] = readField(bytes, view, f);
  return out as T;
}

function readField(bytes: Uint8Array, view: DataView, f: FieldDefinition): unknown {
  if (f.kind === FieldKind.Char) return readText(bytes, f.offset, Math.max(1, f.length));
  if (f.length === 0) return readScalar(view, f.kind, f.offset);
  const values: Array<number | bigint> = new Array(f.length);
  for (let i = 0; i < f.length; i++) values[i] = readScalar(view, f.kind, f.offset + i * f.size);
  return values;
}

function writeScalar(view: DataView, kind: FieldKind, at: number, value: unknown): void {
  switch (kind) {
    case FieldKind.U64: view.setBigUint64(at, BigInt((value as bigint | number | undefined) ?? 0), true); return;
    case FieldKind.I64: view.setBigInt64(at, BigInt((value as bigint | number | undefined) ?? 0), true); return;
  }
  const n = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : 0;
  switch (kind) {
    case FieldKind.U8: view.setUint8(at, n); return;
    case FieldKind.I8: view.setInt8(at, n); return;
    case FieldKind.U16: view.setUint16(at, n, true); return;
    case FieldKind.I16: view.setInt16(at, n, true); return;
    case FieldKind.U32: view.setUint32(at, n, true); return;
    case FieldKind.I32: view.setInt32(at, n, true); return;
    case FieldKind.F32: view.setFloat32(at, n, true); return;
    case FieldKind.F64: view.setFloat64(at, n, true); return;
  }
}

/**
 * Write the payload of `message` at `target[offset…]`; returns the payload length before
 * truncation (`withExtensions` false for MAVLink 1). Missing fields are 0. Integer fields must
 * already be integers in wire units (degE7, mm, cm/s): nothing is scaled here.
 * Text is UTF-8, cut at the field length on a character boundary.
 */
export function encodePayload(
  def: MessageDefinition,
  message: Record<string, unknown>,
  target: Uint8Array,
  offset: number,
  withExtensions = true,
): number {
  const length = withExtensions ? def.payloadLength : def.payloadLengthV1;
  target.fill(0, offset, offset + length);
  const view = new DataView(target.buffer, target.byteOffset + offset, length);
  for (const f of def.fields) {
    if (f.extension && !withExtensions) continue;
    const value = message[f.name];
    if (value === undefined || value === null) continue;
    if (f.kind === FieldKind.Char) {
      writeText(target, offset + f.offset, Math.max(1, f.length), String(value));
    } else if (f.length === 0) {
      writeScalar(view, f.kind, f.offset, value);
    } else {
      const values = value as ArrayLike<unknown>;
      const n = Math.min(values.length, f.length);
      for (let i = 0; i < n; i++) writeScalar(view, f.kind, f.offset + i * f.size, values[i]);
    }
  }
  return length;
}

function writeText(target: Uint8Array, at: number, maxBytes: number, text: string): void {
  const encoded = utf8Encoder.encode(text);
  let n = Math.min(encoded.length, maxBytes);
  // never cut a multi-byte character in half
  while (n > 0 && n < encoded.length && (encoded[n]! & 0xc0) === 0x80) n--;
  target.set(encoded.subarray(0, n), at);
}
