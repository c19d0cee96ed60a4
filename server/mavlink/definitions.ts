/**
 * Message definitions, compiled once from mavlink-mappings (node-mavlink's definitions) into
 * flat field tables that the payload codec walks. Dialects can be added (e.g. our speaker dialect).
 */
import { ardupilotmega, common, development, minimal, standard } from 'mavlink-mappings';
import type { MavLinkData, MavLinkDataConstructor, MavLinkPacketRegistry } from 'mavlink-mappings';
import { REGISTRY as EAGLE_SPEAKER } from './dialects/eagle-speaker.ts';

export const enum FieldKind {
  U8, I8, U16, I16, U32, I32, U64, I64, F32, F64, Char,
}

export interface FieldDefinition {
  name: string;
  kind: FieldKind;
  offset: number;
  /** Bytes of one element. */
  size: number;
  /** Array length; 0 for a scalar. For Char, the byte length of the text field. */
  length: number;
  extension: boolean;
}

export interface MessageDefinition {
  id: number;
  name: string;
  crcExtra: number;
  /** Wire length with extensions (MAVLink 2). */
  payloadLength: number;
  /** Wire length without extensions (MAVLink 1). */
  payloadLengthV1: number;
  fields: FieldDefinition[];
}

/** The message class of mavlink-mappings; its instance type is the decoded message's type. */
export type MessageClass<T extends MavLinkData = MavLinkData> = MavLinkDataConstructor<T>;
export type MessageOf<C> = C extends MavLinkDataConstructor<infer T> ? T : never;

const KINDS: Record<string, FieldKind> = {
  uint8_t: FieldKind.U8, uint8_t_mavlink_version: FieldKind.U8, int8_t: FieldKind.I8,
  uint16_t: FieldKind.U16, int16_t: FieldKind.I16, uint32_t: FieldKind.U32, int32_t: FieldKind.I32,
  uint64_t: FieldKind.U64, int64_t: FieldKind.I64, float: FieldKind.F32, double: FieldKind.F64, char: FieldKind.Char,
};

export function compileDefinition(clazz: MessageClass): MessageDefinition {
  const fields = clazz.FIELDS.map((f): FieldDefinition => {
    const base = f.type.replace('[]', '');
    const kind = KINDS[base];
    if (kind === undefined) throw new Error(`${clazz.MSG_NAME}.${f.name}: unsupported field type ${f.type}`);
    return { name: f.name, kind, offset: f.offset, size: f.size, length: f.length ?? 0, extension: f.extension };
  });
  const end = (f: FieldDefinition) => f.offset + f.size * Math.max(1, f.length);
  const payloadLength = fields.reduce((m, f) => Math.max(m, end(f)), 0);
  const payloadLengthV1 = fields.filter((f) => !f.extension).reduce((m, f) => Math.max(m, end(f)), 0);
  return { id: clazz.MSG_ID, name: clazz.MSG_NAME, crcExtra: clazz.MAGIC_NUMBER, payloadLength, payloadLengthV1, fields };
}

/** Message id → definition. One instance holds every dialect the process speaks. */
export class MessageRegistry {
  private readonly byId = new Map<number, MessageDefinition>();
  private readonly byClass = new Map<MessageClass, MessageDefinition>();

  add(registry: MavLinkPacketRegistry): this {
    for (const clazz of Object.values(registry)) {
      if (this.byId.has(clazz.MSG_ID)) continue;
      const def = compileDefinition(clazz);
      this.byId.set(def.id, def);
      this.byClass.set(clazz, def);
    }
    return this;
  }

  get(id: number): MessageDefinition | undefined {
    return this.byId.get(id);
  }

  of(clazz: MessageClass): MessageDefinition {
    let def = this.byClass.get(clazz);
    if (!def) {
      def = this.byId.get(clazz.MSG_ID) ?? compileDefinition(clazz);
      this.byClass.set(clazz, def);
    }
    return def;
  }
}

/** The dialects Eagle Eye speaks: minimal, common, standard, ardupilotmega, development, and our loudspeaker dialect. */
export const registry = new MessageRegistry()
  .add(minimal.REGISTRY)
  .add(common.REGISTRY)
  .add(standard.REGISTRY)
  .add(ardupilotmega.REGISTRY)
  .add(development.REGISTRY)
  .add(EAGLE_SPEAKER);
