/** Flight logs: the .tlog record format, the bounded rotating sink, and playback on an injected clock. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { common, minimal } from 'mavlink-mappings';
import { FrameEncoder } from '../../server/mavlink/frame-encoder.ts';
import { decodeAs } from '../../server/mavlink/message.ts';
import type { ReceivedFrame } from '../../server/mavlink/links/link.ts';
import { encodeRecord, newTlogReadCounters, readTlog } from '../../server/mavlink/tlog/tlog-format.ts';
import { TlogReplayLink } from '../../server/mavlink/tlog/tlog-replay-link.ts';
import { TlogSink } from '../../server/mavlink/tlog/tlog-sink.ts';
import { linkSlug } from '../../server/mavlink/tlog/tlog-writer.ts';
import { FakeClock } from '../../server/time/clock.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'eagle-tlog-'));
  dirs.push(d);
  return d;
}

const T0_US = Date.UTC(2026, 10, 29, 10, 0, 0) * 1000;
const enc = new FrameEncoder({ sysid: 1, compid: 1 });
function position(i: number): Buffer {
  return enc.encode(common.GlobalPositionInt, { lat: 305_000_000 + i, lon: 1_144_000_000 - i, relativeAlt: i * 10, timeBootMs: i });
}

function readAll(paths: string[]) {
  return paths.flatMap((p) => [...readTlog(readFileSync(p))]);
}

describe('tlog format', () => {
  it('reads back records written by the sink with their exact microsecond times', async () => {
    const dir = tempDir();
    const sink = new TlogSink({ dir });
    const times = Array.from({ length: 500 }, (_, i) => T0_US + i * 1234 + (i % 7));
    times.forEach((t, i) => sink.record(t, position(i)));
    await sink.close();
    const records = readAll(sink.paths);
    expect(records.map((r) => r.timestampUs)).toEqual(times);
    expect(records.map((r) => decodeAs(r.frame, common.GlobalPositionInt).timeBootMs)).toEqual(times.map((_, i) => i));
  });

  it('resynchronises past a damaged region and loses only the records in it', () => {
    const good = Array.from({ length: 20 }, (_, i) => encodeRecord(T0_US + i, position(i)));
    const junk = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff));
    const cut = good[10]!.subarray(0, 15); // half a record
    const bytes = Buffer.concat([...good.slice(0, 10), junk, cut, ...good.slice(11), good[0]!.subarray(0, 5)]);
    const counters = newTlogReadCounters();
    const records = [...readTlog(bytes, counters)];
    expect(records.map((r) => r.timestampUs)).toEqual([...Array(20).keys()].filter((i) => i !== 10).map((i) => T0_US + i));
    expect(counters.skippedBytes).toBeGreaterThan(0);
  });
});

describe('TlogSink', () => {
  it('starts a new file at the UTC day boundary and when a file would pass its size limit', async () => {
    const dir = tempDir();
    const frame = position(1);
    const recordBytes = 8 + frame.length;
    const sink = new TlogSink({ dir, maxFileBytes: recordBytes * 10 });
    const beforeMidnight = Date.UTC(2026, 10, 29, 23, 59, 59) * 1000;
    for (let i = 0; i < 25; i++) sink.record(beforeMidnight + i, frame);
    sink.record(beforeMidnight + 2_000_000, frame); // 00:00:01 the next day
    await sink.close();
    expect(sink.paths.map((p) => p.slice(dir.length + 1))).toEqual([
      '2026-11-29_23-59-59.tlog', '2026-11-29_23-59-59-2.tlog', '2026-11-29_23-59-59-3.tlog', '2026-11-30_00-00-01.tlog',
    ]);
    expect(sink.paths.map((p) => readFileSync(p).length / recordBytes)).toEqual([10, 10, 5, 1]);
    expect(readAll(sink.paths)).toHaveLength(26);
    expect(readdirSync(dir)).toHaveLength(4);
  });

  it('holds at most maxBufferedBytes for a disk that has not written anything yet, and counts what it dropped', async () => {
    const dir = tempDir();
    const sink = new TlogSink({ dir, maxBufferedBytes: 1024 * 1024, chunkBytes: 64 * 1024 });
    const frame = position(1);
    const n = 100_000; // ~5 MB recorded in one synchronous burst: no write can complete meanwhile
    let peak = 0;
    for (let i = 0; i < n; i++) {
      sink.record(T0_US + i, frame);
      peak = Math.max(peak, sink.bufferedBytes);
    }
    expect(peak).toBeLessThanOrEqual(1024 * 1024);
    expect(sink.counters.droppedFrames).toBeGreaterThan(0);
    expect(sink.counters.frames + sink.counters.droppedFrames).toBe(n);
    await sink.close();
    expect(readAll(sink.paths)).toHaveLength(sink.counters.frames);
  });

  it('counts write failures instead of throwing (a folder that cannot be created)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    const errors: string[] = [];
    const sink = new TlogSink({ dir: join(dir, 'file', 'below'), onError: (e) => errors.push(e.message) });
    sink.record(T0_US, position(1));
    await sink.close();
    expect(sink.counters.writeErrors).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('names a link\'s folder from its id', () => {
    expect(linkSlug('udp:127.0.0.1:14550')).toBe('udp_127.0.0.1_14550');
    expect(linkSlug('tcp:sitl.local:5760')).toBe('tcp_sitl.local_5760');
  });
});

describe('TlogReplayLink', () => {
  it('delivers each frame at its recorded offset divided by the speed, on the injected clock', async () => {
    const dir = tempDir();
    const path = join(dir, 'flight.tlog');
    const offsetsMs = [0, 1000, 1000, 3000, 10_000];
    writeFileSync(path, Buffer.concat(offsetsMs.map((ms, i) => encodeRecord(T0_US + ms * 1000, i === 0 ? enc.encode(minimal.Heartbeat, { type: 2, autopilot: 3 }) : position(i)))));
    const clock = new FakeClock();
    const startMs = clock.nowMs();
    const link = new TlogReplayLink({ id: 'tlog:flight', path, clock, speed: 4 });
    const seen: Array<{ atMs: number; msgid: number }> = [];
    link.onFrame((r: ReceivedFrame) => seen.push({ atMs: r.receivedAtMs - startMs, msgid: r.frame.msgid }));
    await link.start();
    expect(seen.map((s) => s.atMs)).toEqual([0]);
    clock.advance(249);
    expect(seen).toHaveLength(1);
    clock.advance(1);
    expect(seen.map((s) => s.atMs)).toEqual([0, 250, 250]);
    clock.advance(2250);
    expect(seen.map((s) => s.atMs)).toEqual([0, 250, 250, 750, 2500]);
    expect(link.finished).toBe(true);
    await link.done;
    expect(seen[0]!.msgid).toBe(0);
    expect(link.counters.framesIn).toBe(5);
    // the server's frames to a replayed vehicle are counted and discarded
    link.send('tlog', position(9));
    expect(link.counters.framesOut).toBe(1);
  });
});
