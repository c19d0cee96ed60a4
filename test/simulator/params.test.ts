import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { common } from 'mavlink-mappings';
import type { Frame } from '../../server/mavlink/frame.ts';
import { decodeAs } from '../../server/mavlink/message.ts';
import { startSimFleet, type SimFleet } from '../../simulator/index.ts';
import { TestGcs } from './helpers/gcs.ts';
import { runFor } from './helpers/lockstep.ts';

const sysid = 1;

describe('parameters over PARAM_* (over UDP)', () => {
  let gcs: TestGcs;
  let fleet: SimFleet;
  beforeEach(async () => {
    gcs = await TestGcs.open();
    fleet = await startSimFleet({ drones: 1, link: { host: '127.0.0.1', port: gcs.port }, lockstep: true });
    await runFor(fleet, gcs, 400);
  });
  afterEach(async () => {
    await fleet.close();
    await gcs.close();
  });

  it('PARAM_REQUEST_LIST returns every parameter once with its index and count', async () => {
    gcs.send(sysid, common.ParamRequestList, { targetSystem: sysid, targetComponent: 1 });
    await runFor(fleet, gcs, 200);
    const values = gcs.messages(sysid, common.ParamValue);
    const count = values[0]!.paramCount;
    expect(values).toHaveLength(count);
    expect(new Set(values.map((v) => v.paramIndex)).size).toBe(count);
    const names = values.map((v) => v.paramId);
    for (const n of ['WPNAV_SPEED', 'RTL_ALT', 'FENCE_ALT_MAX', 'FENCE_ENABLE', 'FS_GCS_ENABLE', 'BATT_LOW_VOLT', 'MAV_SYSID']) expect(names).toContain(n);
  });

  it('PARAM_SET changes a value, echoes PARAM_VALUE, and PARAM_REQUEST_READ reads it back', async () => {
    const echo = gcs.next((f) => f.msgid === common.ParamValue.MSG_ID);
    gcs.send(sysid, common.ParamSet, { targetSystem: sysid, targetComponent: 1, paramId: 'WPNAV_SPEED', paramValue: 750, paramType: 9 });
    expect(decode(await echo).paramValue).toBe(750);
    const read = gcs.next((f) => f.msgid === common.ParamValue.MSG_ID);
    gcs.send(sysid, common.ParamRequestRead, { targetSystem: sysid, targetComponent: 1, paramId: 'WPNAV_SPEED', paramIndex: -1 });
    const v = decode(await read);
    expect(v.paramId).toBe('WPNAV_SPEED');
    expect(v.paramValue).toBe(750);
    expect(fleet.drones[0]!.copter.params.get('WPNAV_SPEED')).toBe(750);
  });
});

function decode(f: Frame) {
  return decodeAs(f, common.ParamValue);
}
