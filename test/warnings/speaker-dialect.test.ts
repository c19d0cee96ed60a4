/**
 * The loudspeaker dialect: CRC_EXTRA of every message recomputed from the XML (independently of the
 * generator), ids clear of every dialect we load, payloads within MAVLink 2's 255 bytes, and long
 * texts split into chunks that fit and reassemble exactly.
 */
import { readFileSync } from 'node:fs';
import * as mappings from 'mavlink-mappings';
import { describe, expect, it } from 'vitest';
import { mavlinkCrc } from '../../server/mavlink/crc.ts';
import { registry } from '../../server/mavlink/definitions.ts';
import { FrameEncoder } from '../../server/mavlink/frame-encoder.ts';
import { decodeDatagram, newDecodeCounters } from '../../server/mavlink/frame-decoder.ts';
import type { Frame } from '../../server/mavlink/frame.ts';
import { decodeAs } from '../../server/mavlink/message.ts';
import {
  MAX_CHUNKS, REGISTRY, SpeakerSpeak, SpeakerStatus, TEXT_CHUNK_BYTES, splitText, utf8Length,
} from '../../server/mavlink/dialects/speaker.ts';

const XML = readFileSync(new URL('../../server/mavlink/dialects/eagle_speaker.xml', import.meta.url), 'utf8');

const SIZES: Record<string, number> = { uint8_t: 1, int8_t: 1, char: 1, uint16_t: 2, int16_t: 2, uint32_t: 4, int32_t: 4, float: 4, uint64_t: 8, int64_t: 8, double: 8 };

interface XmlField { type: string; name: string; arrayLength: number; extension: boolean }
interface XmlMessage { id: number; name: string; fields: XmlField[] }

function parseMessages(xml: string): XmlMessage[] {
  const out: XmlMessage[] = [];
  for (const m of xml.matchAll(/<message id="(\d+)" name="(\w+)">([\s\S]*?)<\/message>/g)) {
    const body = m[3]!;
    const extAt = body.indexOf('<extensions');
    const fields: XmlField[] = [];
    for (const f of body.matchAll(/<field type="([\w\[\]]+)" name="(\w+)"/g)) {
      const t = /^(\w+)(?:\[(\d+)\])?$/.exec(f[1]!)!;
      fields.push({ type: t[1]!, name: f[2]!, arrayLength: t[2] ? Number(t[2]) : 0, extension: extAt >= 0 && f.index! > extAt });
    }
    out.push({ id: Number(m[1]), name: m[2]!, fields });
  }
  return out;
}

/** The MAVLink algorithm: x25 over "NAME " then, per base field in wire order, "type " "name " (+ array length). */
function crcExtra(msg: XmlMessage): number {
  const base = msg.fields.filter((f) => !f.extension);
  const wire = base.map((f, i) => ({ f, i })).sort((a, b) => SIZES[b.f.type]! - SIZES[a.f.type]! || a.i - b.i).map((x) => x.f);
  const bytes: number[] = [...Buffer.from(`${msg.name} `, 'ascii')];
  for (const f of wire) {
    bytes.push(...Buffer.from(`${f.type} `, 'ascii'), ...Buffer.from(`${f.name} `, 'ascii'));
    if (f.arrayLength) bytes.push(f.arrayLength);
  }
  // mavlinkCrc appends one extra byte; strip its effect by computing the plain x25 ourselves
  let crc = 0xffff;
  for (const b of bytes) {
    let tmp = b ^ (crc & 0xff);
    tmp = (tmp ^ (tmp << 4)) & 0xff;
    crc = ((crc >> 8) ^ (tmp << 8) ^ (tmp << 3) ^ (tmp >> 4)) & 0xffff;
  }
  return (crc & 0xff) ^ (crc >> 8);
}

function roundTrip(frameBytes: Buffer): Frame {
  const frames: Frame[] = [];
  decodeDatagram(frameBytes, (f) => frames.push(f), newDecodeCounters());
  expect(frames).toHaveLength(1);
  return frames[0]!;
}

describe('loudspeaker dialect', () => {
  const messages = parseMessages(XML);

  it('has the four messages of the XML, each with the CRC_EXTRA the MAVLink algorithm gives', () => {
    expect(messages.map((m) => m.name)).toEqual(['SPEAKER_SPEAK', 'SPEAKER_PLAY_CLIP', 'SPEAKER_STOP', 'SPEAKER_STATUS']);
    for (const m of messages) {
      const clazz = REGISTRY[m.id]!;
      expect(clazz.MSG_NAME).toBe(m.name);
      expect(clazz.MAGIC_NUMBER, m.name).toBe(crcExtra(m));
      // the codec uses the same value
      expect(registry.get(m.id)?.crcExtra).toBe(crcExtra(m));
    }
    // the check itself is right: HEARTBEAT from minimal.xml is 50
    expect(crcExtra({ id: 0, name: 'HEARTBEAT', fields: [
      { type: 'uint8_t', name: 'type', arrayLength: 0, extension: false }, { type: 'uint8_t', name: 'autopilot', arrayLength: 0, extension: false },
      { type: 'uint8_t', name: 'base_mode', arrayLength: 0, extension: false }, { type: 'uint32_t', name: 'custom_mode', arrayLength: 0, extension: false },
      { type: 'uint8_t', name: 'system_status', arrayLength: 0, extension: false }, { type: 'uint8_t', name: 'mavlink_version', arrayLength: 0, extension: false },
    ] })).toBe(50);
    expect(mavlinkCrc(new Uint8Array(0), 0, 0, 0)).toBeTypeOf('number');
  });

  it('uses ids no dialect shipped with node-mavlink uses, and every payload fits in 255 bytes', () => {
    const taken = new Map<number, string>();
    for (const [name, mod] of Object.entries(mappings as Record<string, any>)) {
      if (!mod?.REGISTRY) continue;
      for (const c of Object.values(mod.REGISTRY) as any[]) taken.set(c.MSG_ID, `${name}.${c.MSG_NAME}`);
    }
    for (const m of messages) {
      expect(taken.get(m.id), `${m.name} (${m.id})`).toBeUndefined();
      const bytes = m.fields.reduce((n, f) => n + SIZES[f.type]! * Math.max(1, f.arrayLength), 0);
      expect(bytes, m.name).toBeLessThanOrEqual(255);
      expect(registry.get(m.id)!.payloadLength).toBe(bytes);
    }
  });

  it('splits a long zh-CN text into chunks that each fit the text field and reassemble exactly', () => {
    const sentence = '请注意，这里是临时停车区，最长停留五分钟。车牌鄂A·12345的车辆请尽快驶离，谢谢配合！🚗 ';
    const text = sentence.repeat(12);
    expect(utf8Length(text)).toBeGreaterThan(TEXT_CHUNK_BYTES * 5);
    const chunks = splitText(text);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.length).toBeLessThanOrEqual(MAX_CHUNKS);
    for (const c of chunks) {
      expect(utf8Length(c)).toBeLessThanOrEqual(TEXT_CHUNK_BYTES);
      expect(c).not.toContain('\uFFFD');
    }
    expect(chunks.join('')).toBe(text);

    // and through the wire: encode every chunk, decode it, join
    const enc = new FrameEncoder({ sysid: 255, compid: 190 });
    const received = chunks.map((c, i) => {
      const frame = roundTrip(enc.encode(SpeakerSpeak, {
        targetSystem: 1, targetComponent: 25, requestId: 0xdeadbeef, chunkIndex: i, chunkCount: chunks.length,
        totalBytes: utf8Length(text), lang: 'zh-CN', voice: 0, volume: 80, repeat: 2, priority: 0, text: c,
      }));
      expect(frame.raw.length).toBeLessThanOrEqual(10 + 255 + 2);
      const m = decodeAs(frame, SpeakerSpeak);
      expect(m.requestId).toBe(0xdeadbeef);
      expect(m.lang).toBe('zh-CN');
      return m.text;
    });
    expect(received.join('')).toBe(text);
    expect(utf8Length(received.join(''))).toBe(utf8Length(text));
  });

  it('refuses a text that needs more than 32 chunks, and keeps an empty text as one empty chunk', () => {
    expect(() => splitText('停'.repeat(Math.ceil((TEXT_CHUNK_BYTES * MAX_CHUNKS) / 3) + 10))).toThrow(/chunks/);
    expect(splitText('')).toEqual(['']);
    // 4-byte characters never straddle a chunk boundary
    const emoji = '😀'.repeat(40);
    const parts = splitText(emoji, 10);
    expect(parts.every((p) => utf8Length(p) === 8)).toBe(true);
    expect(parts.join('')).toBe(emoji);
  });

  it('round-trips SPEAKER_STATUS with a full chunk mask', () => {
    const enc = new FrameEncoder({ sysid: 1, compid: 25 });
    const m = decodeAs(roundTrip(enc.encode(SpeakerStatus, { requestId: 7, state: 2, progress: 55, error: 0, queueLength: 0, chunkMask: 0xffffffff, durationMs: 12_345 })), SpeakerStatus);
    expect(m).toMatchObject({ requestId: 7, state: 2, progress: 55, chunkMask: 0xffffffff, durationMs: 12_345 });
  });
});
