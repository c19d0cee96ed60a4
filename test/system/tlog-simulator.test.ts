/**
 * A flight of the real simulator, recorded by the server as a tlog, replays into a fresh server
 * (EAGLE_MAVLINK=tlog:FILE?speed=20) to the same track, in order.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { common } from 'mavlink-mappings';
import { decodeAs } from '../../server/mavlink/message.ts';
import { readTlog } from '../../server/mavlink/tlog/tlog-format.ts';
import type { TlogReplayLink } from '../../server/mavlink/tlog/tlog-replay-link.ts';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { stopAll } from '../helpers/stop-all.ts';

let dataDir = '';
let server: TestServer | null = null;
let sim: SimFleet | null = null;
afterEach(async () => {
  await stopAll(sim, server);
  [sim, server] = [null, null];
  rmSync(dataDir, { recursive: true, force: true });
});

type Point = [number, number, number];
const key = (p: Point) => p.join(',');

describe('flight log of a simulated flight', () => {
  it('replays to the same track the simulator flew', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'eagle-tlog-sim-'));
    server = await startTestServer({ EAGLE_DATA: dataDir });
    sim = await startSimFleet({ drones: 1, link: server.mavlink, speedup: 3, positionSettleMs: 1000, seed: 11 });
    const [d] = await waitFor(async () => { const l = (await server!.api('GET', '/api/drones')).body.drones; return l.length ? l : null; }, { what: 'a drone' });
    await waitFor(async () => (await server!.api('POST', `/api/drones/${d.id}/commands`, { type: 'takeoff', altitudeM: 15 })).status === 200, { what: 'take-off', timeoutMs: 15_000, intervalMs: 300 });
    await waitFor(() => sim!.drones[0]!.truth().altitudeM > 14, { what: 'climb', timeoutMs: 15_000 });
    await server.close();
    server = null;

    const folder = join(dataDir, 'tlogs', readdirSync(join(dataDir, 'tlogs'))[0]!);
    const path = join(folder, readdirSync(folder)[0]!);
    const recorded: Point[] = [];
    for (const { frame } of readTlog(readFileSync(path))) {
      if (frame.msgid !== common.GlobalPositionInt.MSG_ID || frame.sysid !== 1) continue;
      const p = decodeAs(frame, common.GlobalPositionInt);
      const point: Point = [p.lat / 1e7, p.lon / 1e7, p.relativeAlt / 1000];
      if (!recorded.length || key(recorded.at(-1)!) !== key(point)) recorded.push(point);
    }
    expect(recorded.length).toBeGreaterThan(20);
    expect(Math.max(...recorded.map((p) => p[2]))).toBeGreaterThan(12);

    server = await startTestServer({ EAGLE_DATA: dataDir, EAGLE_MAVLINK: `tlog:${path}?speed=20` });
    const replay = server.links[0] as TlogReplayLink;
    const seen: Point[] = [];
    replay.onFrame(() => {
      const p = server!.fleet.list()[0]?.position;
      if (!p) return;
      const point: Point = [p.lat, p.lon, p.altRelM];
      if (!seen.length || key(seen.at(-1)!) !== key(point)) seen.push(point);
    });
    await replay.done;
    // the replay starts as the server comes up: the first frames may pass before this test listens
    expect(seen.length).toBeGreaterThan(recorded.length - 5);
    expect(seen).toEqual(recorded.slice(recorded.length - seen.length));
  }, 60_000);
});
