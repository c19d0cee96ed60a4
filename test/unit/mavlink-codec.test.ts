import { describe, expect, it } from 'vitest';
import { common, minimal } from 'mavlink-mappings';
import { MavLinkProtocolV1, MavLinkProtocolV2, MavLinkPacketSplitter, MavLinkPacketParser } from 'node-mavlink';
import { PassThrough } from 'node:stream';
import { decodeDatagram, newDecodeCounters, badFrames, StreamDecoder } from '../../server/mavlink/frame-decoder.ts';
import { FrameEncoder } from '../../server/mavlink/frame-encoder.ts';
import { decodeAs } from '../../server/mavlink/message.ts';
import type { Frame } from '../../server/mavlink/frame.ts';

function position(i: number) {
  return { timeBootMs: 1000 + i, lat: 305_000_000 + i, lon: 1_144_000_000 - i, alt: 42_100, relativeAlt: 12_000, vx: -150, vy: 20, vz: 0, hdg: 9000 };
}

function decodeAll(datagrams: Uint8Array[]) {
  const counters = newDecodeCounters();
  const frames: Frame[] = [];
  for (const d of datagrams) decodeDatagram(d, (f) => frames.push(f), counters);
  return { frames, counters };
}

describe('MAVLink codec', () => {
  it('decodes frames serialized by node-mavlink (v1 and v2) with identical field values', () => {
    const msg = new common.GlobalPositionInt();
    Object.assign(msg, position(7));
    const v2 = new MavLinkProtocolV2(3, 1).serialize(msg, 12);
    const v1 = new MavLinkProtocolV1(4, 1).serialize(msg, 13);
    const { frames, counters } = decodeAll([v2, v1]);
    expect(counters.frames).toBe(2);
    expect(frames.map((f) => [f.version, f.sysid, f.seq])).toEqual([[2, 3, 12], [1, 4, 13]]);
    for (const f of frames) expect(decodeAs(f, common.GlobalPositionInt)).toEqual(position(7));
  });

  it('encodes frames that node-mavlink parses back to the same message', async () => {
    const enc = new FrameEncoder({ sysid: 255, compid: 190 });
    const bytes = enc.encode(common.CommandLong, {
      targetSystem: 1, targetComponent: 1, command: common.MavCmd.NAV_TAKEOFF, confirmation: 2, _param7: 30,
    });
    const input = new PassThrough();
    const packets: any[] = [];
    const parser = input.pipe(new MavLinkPacketSplitter()).pipe(new MavLinkPacketParser());
    parser.on('data', (p) => packets.push(p));
    input.end(bytes);
    await new Promise((r) => parser.on('end', r).resume());
    expect(packets).toHaveLength(1);
    const msg = packets[0].protocol.data(packets[0].payload, common.CommandLong);
    expect(msg.command).toBe(common.MavCmd.NAV_TAKEOFF);
    expect(msg._param7).toBe(30);
    expect(msg.confirmation).toBe(2);
    expect(packets[0].header.sysid).toBe(255);
  });

  it('counts its own sequence number per encoder and trims trailing zeros in MAVLink 2', () => {
    const enc = new FrameEncoder({ sysid: 1, compid: 1 });
    const a = enc.encode(minimal.Heartbeat, { type: 2, autopilot: 3, mavlinkVersion: 3 });
    const b = enc.encode(minimal.Heartbeat, { type: 2, autopilot: 3, mavlinkVersion: 3 });
    expect([a[4], b[4]]).toEqual([0, 1]);
    expect(a[1]).toBe(9); // mavlink_version is last on the wire and non-zero: nothing to trim
    const { frames } = decodeAll([enc.encode(common.SysStatus, {})]);
    expect(frames[0]!.payload.length).toBe(1);
    expect(decodeAs(frames[0]!, common.SysStatus).voltageBattery).toBe(0);
  });

  it('round-trips UTF-8 text and cuts it on a character boundary', () => {
    const enc = new FrameEncoder({ sysid: 1, compid: 1 });
    const text = '临时停车区域请勿久停'.repeat(3); // 90 bytes of UTF-8, the field holds 50
    const { frames } = decodeAll([enc.encode(common.StatusText, { severity: 6, text })]);
    const decoded = decodeAs(frames[0]!, common.StatusText).text;
    expect(text.startsWith(decoded)).toBe(true);
    expect(Buffer.byteLength(decoded)).toBe(48);
  });

  it('loses no good frame among junk, truncated frames, bad CRCs, unknown ids and length lies', () => {
    const enc = new FrameEncoder({ sysid: 1, compid: 1 });
    const good = Array.from({ length: 200 }, (_, i) => enc.encode(common.GlobalPositionInt, position(i)));
    const datagrams: Uint8Array[] = [];
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (const [i, frame] of good.entries()) {
      const junk = Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256)));
      switch (i % 6) {
        case 0: datagrams.push(junk); datagrams.push(frame); break;
        case 1: datagrams.push(Buffer.concat([junk, frame])); break; // junk-prefixed
        case 2: datagrams.push(frame.subarray(0, 12)); datagrams.push(frame); break; // truncated then good
        case 3: { const bad = Buffer.from(frame); bad[15] = bad[15]! ^ 0xff; datagrams.push(Buffer.concat([bad, frame])); break; }
        case 4: datagrams.push(Buffer.concat([Buffer.from([0xfd, 255, 0, 0, 0, 1, 1, 0x39, 0x30, 0x00]), frame])); break; // unknown id, length 255
        case 5: datagrams.push(Buffer.concat([Buffer.from([0xfe, 200, 0, 1, 1, 33]), frame, Buffer.from([0xfd])])); break; // length lie
      }
    }
    const { frames, counters } = decodeAll(datagrams);
    const lats = frames.filter((f) => f.msgid === 33).map((f) => decodeAs(f, common.GlobalPositionInt).timeBootMs);
    expect(lats).toEqual(good.map((_, i) => 1000 + i));
    expect(badFrames(counters)).toBeGreaterThan(100);
  });

  it('keeps at most one partial frame when a TCP stream carries megabytes without a frame', () => {
    const enc = new FrameEncoder({ sysid: 1, compid: 1 });
    const seen: number[] = [];
    const dec = new StreamDecoder((f) => seen.push(decodeAs(f, common.GlobalPositionInt).timeBootMs));
    const junk = Buffer.alloc(64 * 1024, 0x55);
    for (let i = 0; i < 64; i++) dec.push(junk);
    expect(dec.pendingBytes).toBe(0);
    const frame = enc.encode(common.GlobalPositionInt, position(1));
    dec.push(Buffer.concat([junk, Buffer.from([0xfd, 250]), frame.subarray(0, 5)]));
    expect(dec.pendingBytes).toBeLessThanOrEqual(280);
    dec.push(Buffer.concat([frame.subarray(5), Buffer.alloc(300, 0x11), frame]));
    expect(seen).toEqual([1001, 1001]);
  });
});
