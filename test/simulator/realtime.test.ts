import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { common, minimal } from 'mavlink-mappings';
import { decodeAs } from '../../server/mavlink/message.ts';
import { startSimFleet, type PayloadComponent, type SimFleet } from '../../simulator/index.ts';
import { TestGcs } from './helpers/gcs.ts';
import { runFor } from './helpers/lockstep.ts';

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('simulator in wall-clock time, CLI and payload components', () => {
  let gcs: TestGcs | null = null;
  let fleet: SimFleet | null = null;
  afterEach(async () => {
    await fleet?.close();
    await gcs?.close();
    fleet = null; gcs = null;
  });

  it('--speedup 20 runs twenty simulated seconds per wall second (heartbeats at 20 per wall second)', async () => {
    gcs = await TestGcs.open();
    fleet = await startSimFleet({ drones: 1, link: { host: '127.0.0.1', port: gcs.port }, speedup: 20 });
    await waitFor(() => gcs!.vehicles.has(1), 2000);
    const wall0 = performance.now();
    const sim0 = fleet.world.elapsedMs;
    const beats0 = gcs.messages(1, minimal.Heartbeat).length;
    await new Promise((r) => setTimeout(r, 1000));
    const ratio = (fleet.world.elapsedMs - sim0) / (performance.now() - wall0);
    expect(ratio).toBeGreaterThan(15);
    expect(ratio).toBeLessThan(22);
    expect(gcs.messages(1, minimal.Heartbeat).length - beats0).toBeGreaterThan(14);
  });

  it('at speedup 20 a GCS flow works against the wall clock: ask streams, arm, take off, see the altitude in GLOBAL_POSITION_INT', async () => {
    gcs = await TestGcs.open();
    fleet = await startSimFleet({ drones: 1, link: { host: '127.0.0.1', port: gcs.port }, speedup: 20, positionSettleMs: 3000 });
    const beat = setInterval(() => gcs!.heartbeat(), 50); // 1 Hz in simulated time
    try {
      await waitFor(() => gcs!.vehicles.has(1), 2000);
      await gcs.command(1, common.MavCmd.SET_MESSAGE_INTERVAL, [common.GlobalPositionInt.MSG_ID, 200_000]);
      await waitFor(() => gcs!.vehicle(1).statusTexts.includes('EKF3 IMU0 is using GPS'), 3000);
      expect((await gcs.command(1, common.MavCmd.DO_SET_MODE, [1, 4])).result).toBe(common.MavResult.ACCEPTED);
      expect((await gcs.command(1, common.MavCmd.COMPONENT_ARM_DISARM, [1])).result).toBe(common.MavResult.ACCEPTED);
      expect((await gcs.command(1, common.MavCmd.NAV_TAKEOFF, [0, 0, 0, 0, 0, 0, 10])).result).toBe(common.MavResult.ACCEPTED);
      await waitFor(() => (gcs!.last(1, common.GlobalPositionInt)?.relativeAlt ?? 0) > 9_000, 5000);
      expect(gcs.vehicle(1).statusTexts).not.toContain('GCS Failsafe');
    } finally {
      clearInterval(beat);
    }
  });

  it('npm run sim starts N drones, each sending HEARTBEAT from its own socket with sysids K, K+1, …', async () => {
    gcs = await TestGcs.open();
    const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/main.ts', '--drones', '3', '--link', `udp:127.0.0.1:${gcs.port}`, '--sysid-base', '40', '--speedup', '5'], { stdio: 'pipe' });
    try {
      await waitFor(() => gcs!.vehicles.size === 3, 10_000);
      expect([...gcs.vehicles.keys()].sort()).toEqual([40, 41, 42]);
      expect(new Set([...gcs.vehicles.values()].map((v) => v.address.port)).size).toBe(3);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('a payload component has its own compid and heartbeat and answers commands addressed to it', async () => {
    gcs = await TestGcs.open();
    const calls: number[] = [];
    const speaker: PayloadComponent = {
      compid: 200, mavType: minimal.MavType.GENERIC,
      command: (cmd) => { calls.push(cmd.command); return cmd.command === common.MavCmd.USER_1 ? common.MavResult.ACCEPTED : null; },
    };
    fleet = await startSimFleet({ drones: 1, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true, payloads: () => [speaker] });
    await runFor(fleet, gcs, 2000);
    const beats = gcs.vehicle(1).frames.filter((f) => f.msgid === minimal.Heartbeat.MSG_ID && f.compid === 200);
    expect(beats.length).toBeGreaterThanOrEqual(2);
    const ack = gcs.next((f) => f.msgid === common.CommandAck.MSG_ID && f.compid === 200);
    gcs.send(1, common.CommandLong, { targetSystem: 1, targetComponent: 200, command: common.MavCmd.USER_1, _param1: 1 });
    expect(decodeAs(await ack, common.CommandAck).result).toBe(common.MavResult.ACCEPTED);
    expect(calls).toEqual([common.MavCmd.USER_1]);
  });
});
