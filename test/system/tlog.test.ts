/**
 * Flight logs end to end: a flight of a scripted vehicle through a real server (real UDP) is
 * recorded under EAGLE_DATA/tlogs/; the file parses back with the right times and both
 * directions; replayed into a fresh server (EAGLE_MAVLINK=tlog:FILE?speed=10) the fleet sees the
 * same track again, in order, ten times faster.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { common, minimal } from 'mavlink-mappings';
import { decodeAs } from '../../server/mavlink/message.ts';
import { readTlog, type TlogRecord } from '../../server/mavlink/tlog/tlog-format.ts';
import { TlogReplayLink } from '../../server/mavlink/tlog/tlog-replay-link.ts';
import { ScriptedVehicle } from '../helpers/scripted-vehicle.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'eagle-tlog-system-'));
let server: TestServer | null = null;
let vehicle: ScriptedVehicle | null = null;
/** Set by the recording test, replayed by the next one. */
let recorded: { path: string; records: TlogRecord[] } | null = null;

afterEach(async () => {
  await vehicle?.close();
  vehicle = null;
  await server?.close();
  server = null;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function droneWhere(pred: (d: any) => boolean, what: string, timeoutMs = 5000) {
  return waitFor(async () => (await server!.api('GET', '/api/drones')).body.drones.find(pred), { what, timeoutMs });
}

type Point = [number, number, number];
const same = (a: Point, b: Point) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

/** The vehicle's track in a tlog: its GLOBAL_POSITION_INT positions, repeats removed. */
function trackOf(records: TlogRecord[]): Point[] {
  const track: Point[] = [];
  for (const { frame } of records) {
    if (frame.sysid !== 1 || frame.msgid !== common.GlobalPositionInt.MSG_ID) continue;
    const p = decodeAs(frame, common.GlobalPositionInt);
    const point: Point = [p.lat / 1e7, p.lon / 1e7, p.relativeAlt / 1000];
    if (!track.length || !same(track[track.length - 1]!, point)) track.push(point);
  }
  return track;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

describe('flight logs over real UDP', () => {
  it('records a flight through the server as a tlog whose frames parse back with their receive times, both directions', async () => {
    const startedUs = Date.now() * 1000;
    server = await startTestServer({ EAGLE_DATA: dataDir });
    vehicle = await new ScriptedVehicle({ server: server.mavlink, heartbeatMs: 250 }).start();
    const drone = await droneWhere((d) => d.position && d.home, 'a drone with position and home');
    const cmd = (body: unknown) => server!.api('POST', `/api/drones/${drone.id}/commands`, body);
    expect((await cmd({ type: 'takeoff', altitudeM: 10 })).status).toBe(200);
    await droneWhere((d) => d.position.altRelM > 9.9, 'climb to 10 m');
    expect((await cmd({ type: 'goto', lat: 30.4994, lon: 114.4128, altitudeM: 15 })).status).toBe(200);
    await droneWhere((d) => Math.abs(d.position.lat - 30.4994) < 1e-6 && d.position.altRelM > 14.9, 'arrival at the goto target', 10_000);
    await new Promise((r) => setTimeout(r, 400)); // a few position reports at the target
    const live = (await server.api('GET', '/api/metrics')).body.links[0].tlog;
    expect(live).toMatchObject({ droppedFrames: 0, droppedBytes: 0, writeErrors: 0, files: 1 });
    expect(live.frames).toBeGreaterThan(50);
    const link = server.links[0]!;
    await server.close(); // flushes the log
    server = null;
    const endedUs = Date.now() * 1000;

    const folder = join(dataDir, 'tlogs', 'udp_127.0.0.1_0');
    const files = readdirSync(folder);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.tlog$/);
    const path = join(folder, files[0]!);
    const records = [...readTlog(readFileSync(path))];

    // every frame the link delivered and sent, one record each
    expect(records.length).toBe(link.counters.framesIn + link.counters.framesOut);
    // times: within the test, in order, and the vehicle's 4 Hz heartbeat shows as 250 ms apart
    const times = records.map((r) => r.timestampUs);
    expect(times[0]).toBeGreaterThanOrEqual(startedUs);
    expect(times[times.length - 1]).toBeLessThanOrEqual(endedUs);
    expect(times.every((t, i) => i === 0 || t >= times[i - 1]!)).toBe(true);
    const beats = records.filter((r) => r.frame.sysid === 1 && r.frame.msgid === minimal.Heartbeat.MSG_ID).map((r) => r.timestampUs);
    expect(beats.length).toBeGreaterThan(10);
    const gapMs = median(beats.slice(1).map((t, i) => (t - beats[i]!) / 1000));
    expect(gapMs).toBeGreaterThan(200);
    expect(gapMs).toBeLessThan(300);
    // both directions: the server's heartbeats and its arming command are in the log
    const fromServer = records.filter((r) => r.frame.sysid === 255);
    expect(fromServer.some((r) => r.frame.msgid === minimal.Heartbeat.MSG_ID)).toBe(true);
    expect(fromServer.some((r) => r.frame.msgid === common.CommandLong.MSG_ID && decodeAs(r.frame, common.CommandLong).command === 400)).toBe(true);
    expect(trackOf(records).length).toBeGreaterThan(10);
    recorded = { path, records };
  });

  it('replays the tlog into a fresh server ten times faster, and the fleet sees the same track in order', async () => {
    expect(recorded, 'the recording test ran first').not.toBeNull();
    const track = trackOf(recorded!.records);
    const recordedMs = (recorded!.records[recorded!.records.length - 1]!.timestampUs - recorded!.records[0]!.timestampUs) / 1000;

    server = await startTestServer({ EAGLE_MAVLINK: `tlog:${recorded!.path}?speed=10` });
    const startedMs = Date.now();
    const replay = server.links[0]! as TlogReplayLink;
    expect(replay).toBeInstanceOf(TlogReplayLink);
    // what the fleet holds after each replayed frame (our handler runs after the fleet's)
    const seen: Point[] = [];
    const observe = () => {
      const p = server!.fleet.list()[0]?.position;
      if (!p) return;
      const point: Point = [p.lat, p.lon, p.altRelM];
      if (!seen.length || !same(seen[seen.length - 1]!, point)) seen.push(point);
    };
    observe();
    replay.onFrame(observe);
    await Promise.race([
      replay.done,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`replay did not finish in time (saw ${seen.length} positions)`)), recordedMs / 10 + 5000)),
    ]);
    const tookMs = Date.now() - startedMs;
    const d = server.fleet.list()[0]!;

    expect(server.fleet.list()).toHaveLength(1);
    expect(d).toMatchObject({ sysid: 1, autopilot: 'ardupilot', vehicleType: 'quadrotor' });
    expect(seen).toEqual(track);
    // ten times faster than the flight, give or take the machine
    expect(tookMs).toBeLessThan(recordedMs / 10 * 2 + 1500);
    expect(tookMs).toBeGreaterThan(recordedMs / 10 * 0.8);
    // the replayed link is not recorded again
    expect(server.tlogs?.sink(replay.id)).toBeUndefined();
  });
});
