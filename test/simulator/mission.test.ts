import { afterEach, describe, expect, it } from 'vitest';
import { common } from 'mavlink-mappings';
import { CopterMode, startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { LocalFrame } from '../../simulator/geo.ts';
import { decodeAs } from '../../server/mavlink/message.ts';
import { TestGcs, type MissionItemSpec } from './helpers/gcs.ts';
import { runFor, runUntil } from './helpers/lockstep.ts';

const Cmd = common.MavCmd;
const R = common.MavResult;
const MR = common.MavMissionResult;

describe('mission protocol and AUTO (over UDP)', () => {
  let gcs: TestGcs;
  let fleet: SimFleet;
  const sysid = 1;

  async function start(legacyMissionRequests = false) {
    gcs = await TestGcs.open();
    fleet = await startSimFleet({ drones: 1, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true, seed: 9, legacyMissionRequests, positionSettleMs: 3000 });
    await runFor(fleet, gcs, 4000);
    gcs.requestDataStreamAll(sysid, 2);
    await runFor(fleet, gcs, 400);
  }
  afterEach(async () => {
    await fleet.close();
    await gcs.close();
  });

  function square(sideM: number): { frame: LocalFrame; corners: MissionItemSpec[] } {
    const frame = new LocalFrame(fleet.drones[0]!.truth());
    const pts = [[sideM, 0], [sideM, sideM], [0, sideM]] as const;
    return {
      frame,
      corners: pts.map(([n, e]) => { const p = frame.toLatLon({ northM: n, eastM: e }); return { command: Cmd.NAV_WAYPOINT, lat: p.lat, lon: p.lon, alt: 12 }; }),
    };
  }

  it('uploads with MISSION_REQUEST_INT and downloads the same items, home as item 0', async () => {
    await start();
    const { corners } = square(40);
    const items: MissionItemSpec[] = [{ command: Cmd.NAV_WAYPOINT }, { command: Cmd.NAV_TAKEOFF, alt: 12 }, ...corners, { command: Cmd.NAV_RETURN_TO_LAUNCH }];
    expect(await gcs.uploadMission(sysid, items)).toBe(MR.ACCEPTED);
    expect(new Set(gcs.lastUploadRequestIds)).toEqual(new Set([common.MissionRequestInt.MSG_ID]));
    const back = await gcs.downloadMission(sysid);
    expect(back).toHaveLength(items.length);
    expect(back.map((i) => i.command)).toEqual(items.map((i) => i.command));
    const home = fleet.drones[0]!.truth().home!;
    expect(back[0]!.x / 1e7).toBeCloseTo(home.lat, 6);
    expect(back[2]!.x).toBe(Math.round(corners[0]!.lat! * 1e7));
    expect(back[2]!.z).toBeCloseTo(12);
  });

  it('with the legacy flag asks for items with MISSION_REQUEST, as ArduCopter does, and the upload still works', async () => {
    await start(true);
    const { corners } = square(30);
    expect(await gcs.uploadMission(sysid, [{ command: Cmd.NAV_WAYPOINT }, ...corners])).toBe(MR.ACCEPTED);
    expect(new Set(gcs.lastUploadRequestIds)).toEqual(new Set([common.MissionRequest.MSG_ID]));
    expect((await gcs.downloadMission(sysid)).length).toBe(4);
  });

  it('stores FENCE and RALLY lists separately and clears one with MISSION_CLEAR_ALL', async () => {
    await start();
    const frame = new LocalFrame(fleet.drones[0]!.truth());
    const rally = frame.toLatLon({ northM: 10, eastM: 10 });
    expect(await gcs.uploadMission(sysid, [{ command: Cmd.NAV_RALLY_POINT, lat: rally.lat, lon: rally.lon, alt: 20 }], common.MavMissionType.RALLY)).toBe(MR.ACCEPTED);
    expect(await gcs.uploadMission(sysid, [{ command: Cmd.NAV_FENCE_CIRCLE_INCLUSION, param1: 200, lat: rally.lat, lon: rally.lon }], common.MavMissionType.FENCE)).toBe(MR.ACCEPTED);
    expect(await gcs.downloadMission(sysid, common.MavMissionType.RALLY)).toHaveLength(1);
    expect(await gcs.downloadMission(sysid, common.MavMissionType.FENCE)).toHaveLength(1);
    const ack = gcs.next((f) => f.msgid === common.MissionAck.MSG_ID);
    gcs.send(sysid, common.MissionClearAll, { targetSystem: sysid, targetComponent: 1, missionType: common.MavMissionType.RALLY });
    await ack;
    expect(await gcs.downloadMission(sysid, common.MavMissionType.RALLY)).toHaveLength(0);
    expect(await gcs.downloadMission(sysid, common.MavMissionType.FENCE)).toHaveLength(1);
  });

  it('AUTO mission with DO_JUMP repeat 2 flies the loop three times, then returns and lands', async () => {
    await start();
    const { corners } = square(30);
    const items: MissionItemSpec[] = [
      { command: Cmd.NAV_WAYPOINT },
      { command: Cmd.NAV_TAKEOFF, alt: 12 },
      ...corners, // seq 2, 3, 4
      { command: Cmd.DO_JUMP, param1: 2, param2: 2 }, // seq 5
      { command: Cmd.NAV_RETURN_TO_LAUNCH },
    ];
    expect(await gcs.uploadMission(sysid, items)).toBe(MR.ACCEPTED);
    expect((await gcs.setMode(sysid, CopterMode.GUIDED)).result).toBe(R.ACCEPTED);
    expect((await gcs.command(sysid, Cmd.COMPONENT_ARM_DISARM, [1])).result).toBe(R.ACCEPTED);
    expect((await gcs.command(sysid, Cmd.MISSION_START, [0, 0])).result).toBe(R.ACCEPTED);
    const drone = fleet.drones[0]!;
    await runUntil(fleet, gcs, () => !drone.truth().armed, { maxSimMs: 300_000, chunkMs: 500 });
    const reached = gcs.messages(sysid, common.MissionItemReached).map((m) => m.seq);
    expect(reached.filter((s) => s === 2)).toHaveLength(3);
    expect(reached.filter((s) => s === 4)).toHaveLength(3);
    expect(reached.at(-1)).toBe(6);
    const home = new LocalFrame(drone.truth().home!).toNorthEast(drone.truth());
    expect(Math.hypot(home.northM, home.eastM)).toBeLessThan(2);
  });

  it('NAV_LOITER_TURNS circles the given number of turns at the radius', async () => {
    await start();
    const frame = new LocalFrame(fleet.drones[0]!.truth());
    const center = frame.toLatLon({ northM: 40, eastM: 0 });
    const items: MissionItemSpec[] = [
      { command: Cmd.NAV_WAYPOINT },
      { command: Cmd.NAV_TAKEOFF, alt: 10 },
      { command: Cmd.NAV_LOITER_TURNS, param1: 2, param3: 15, lat: center.lat, lon: center.lon, alt: 10 },
      { command: Cmd.NAV_LAND },
    ];
    expect(await gcs.uploadMission(sysid, items)).toBe(MR.ACCEPTED);
    await gcs.setMode(sysid, CopterMode.GUIDED);
    await gcs.command(sysid, Cmd.COMPONENT_ARM_DISARM, [1]);
    expect((await gcs.command(sysid, Cmd.MISSION_START, [0, 0])).result).toBe(R.ACCEPTED);
    const drone = fleet.drones[0]!;
    const radii: number[] = [];
    await runUntil(fleet, gcs, () => {
      const cur = gcs.last(sysid, common.MissionCurrent)?.seq;
      if (cur === 2) { const p = frame.toNorthEast(drone.truth()); radii.push(Math.hypot(p.northM - 40, p.eastM)); }
      return gcs.messages(sysid, common.MissionItemReached).some((m) => m.seq === 2);
    }, { maxSimMs: 200_000, chunkMs: 250 });
    const onCircle = radii.slice(Math.floor(radii.length / 3));
    expect(Math.min(...onCircle)).toBeGreaterThan(12);
    expect(Math.max(...onCircle)).toBeLessThan(18);
  });

  it('refuses MISSION_START on the ground when the mission has no take-off', async () => {
    await start();
    const { corners } = square(20);
    expect(await gcs.uploadMission(sysid, [{ command: Cmd.NAV_WAYPOINT }, ...corners])).toBe(MR.ACCEPTED);
    await gcs.setMode(sysid, CopterMode.GUIDED);
    await gcs.command(sysid, Cmd.COMPONENT_ARM_DISARM, [1]);
    expect((await gcs.command(sysid, Cmd.MISSION_START, [0, 0])).result).toBe(R.FAILED);
    await runFor(fleet, gcs, 200);
    expect(gcs.vehicle(sysid).statusTexts).toContain('Auto: Missing Takeoff Cmd');
  });

  it('MISSION_SET_CURRENT is answered with MISSION_CURRENT at that item', async () => {
    await start();
    const { corners } = square(20);
    expect(await gcs.uploadMission(sysid, [{ command: Cmd.NAV_WAYPOINT }, { command: Cmd.NAV_TAKEOFF, alt: 10 }, ...corners])).toBe(MR.ACCEPTED);
    const current = gcs.next((f) => f.msgid === common.MissionCurrent.MSG_ID && decodeAs(f, common.MissionCurrent).seq === 3);
    gcs.send(sysid, common.MissionSetCurrent, { targetSystem: sysid, targetComponent: 1, seq: 3 });
    const m = decodeAs(await current, common.MissionCurrent);
    expect(m.total).toBe(4);
  });

  it('an upload over a link losing 30 % of datagrams completes: the vehicle re-requests missing items and the GCS restarts a cancelled upload', async () => {
    await start();
    const { corners } = square(20);
    const items: MissionItemSpec[] = [{ command: Cmd.NAV_WAYPOINT }, { command: Cmd.NAV_TAKEOFF, alt: 10 }, ...corners, ...corners, ...corners, ...corners, ...corners, ...corners];
    fleet.injectFault(0, { kind: 'packet-loss', percent: 30 });
    let attempts = 0;
    let result: number | null = null;
    // A GCS starts over when nothing comes back or the vehicle cancels (5 unanswered re-requests);
    // the vehicle's 1 s re-request timer runs on simulated time.
    for (; attempts < 8 && result !== MR.ACCEPTED; attempts++) {
      result = null;
      const upload = gcs.uploadMission(sysid, items, 0, 30_000).then((r) => { result = r; }, () => undefined);
      await runUntil(fleet, gcs, () => result !== null, { maxSimMs: 30_000, chunkMs: 100 }).catch(() => undefined);
      if (result === null) gcs.abortWaits();
      await upload;
    }
    expect(result).toBe(MR.ACCEPTED);
    const link = fleet.drones[0]!.endpoint.link;
    expect(link.droppedIn + link.droppedOut).toBeGreaterThan(0);
    // Losses hit the exchange: items were asked for again, or the GCS had to start over.
    expect(gcs.lastUploadRequestIds.length > items.length || attempts > 1).toBe(true);
    fleet.injectFault(0, { kind: 'packet-loss', percent: 0 });
    const back = await gcs.downloadMission(sysid);
    expect(back.map((i) => i.command)).toEqual(items.map((i) => i.command));
  });

  it('NAV_WAYPOINT holds param1 seconds after MISSION_ITEM_REACHED before moving on; DO_CHANGE_SPEED sets the cruise speed', async () => {
    await start();
    const frame = new LocalFrame(fleet.drones[0]!.truth());
    const a = frame.toLatLon({ northM: 60, eastM: 0 });
    const b = frame.toLatLon({ northM: 60, eastM: 100 });
    const items: MissionItemSpec[] = [
      { command: Cmd.NAV_WAYPOINT },
      { command: Cmd.NAV_TAKEOFF, alt: 10 },
      { command: Cmd.NAV_WAYPOINT, param1: 5, lat: a.lat, lon: a.lon, alt: 10 }, // seq 2: hold 5 s
      { command: Cmd.DO_CHANGE_SPEED, param1: 1, param2: 4 }, // seq 3
      { command: Cmd.NAV_WAYPOINT, lat: b.lat, lon: b.lon, alt: 10 }, // seq 4
      { command: Cmd.NAV_LAND },
    ];
    expect(await gcs.uploadMission(sysid, items)).toBe(MR.ACCEPTED);
    await gcs.setMode(sysid, CopterMode.GUIDED);
    await gcs.command(sysid, Cmd.COMPONENT_ARM_DISARM, [1]);
    expect((await gcs.command(sysid, Cmd.MISSION_START, [0, 0])).result).toBe(R.ACCEPTED);
    const reached = (seq: number) => gcs.messages(sysid, common.MissionItemReached).some((m) => m.seq === seq);
    await runUntil(fleet, gcs, () => reached(2), { maxSimMs: 60_000, chunkMs: 100 });
    const reachedAt = fleet.nowMs();
    await runUntil(fleet, gcs, () => (gcs.last(sysid, common.MissionCurrent)?.seq ?? 0) >= 4, { maxSimMs: 20_000, chunkMs: 100 });
    const heldMs = fleet.nowMs() - reachedAt;
    expect(heldMs).toBeGreaterThanOrEqual(4900);
    expect(heldMs).toBeLessThan(6000);
    let maxSpeedMps = 0;
    await runUntil(fleet, gcs, () => { maxSpeedMps = Math.max(maxSpeedMps, fleet.drones[0]!.truth().groundSpeedMps); return reached(4); }, { maxSimMs: 60_000, chunkMs: 100 });
    expect(maxSpeedMps).toBeGreaterThan(3.5);
    expect(maxSpeedMps).toBeLessThan(4.8); // 4 m/s asked, gusts add a little
  });
});
