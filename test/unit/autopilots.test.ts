import { describe, expect, it } from 'vitest';
import { ardupilotCopter } from '../../server/autopilots/ardupilot-copter.ts';
import { px4 } from '../../server/autopilots/px4.ts';
import { selectAutopilot } from '../../server/autopilots/select.ts';
import type { WireMissionItem } from '../../server/mavlink/mission-transfer/types.ts';

const item = (command: number, param1 = 0): WireMissionItem => ({ seq: 0, frame: 3, command, current: 0, autocontinue: 1, param1, param2: 0, param3: 0, param4: 0, x: 1, y: 2, z: 3 });

describe('autopilot adapters', () => {
  it('are chosen from HEARTBEAT.autopilot', () => {
    expect([selectAutopilot(3).name, selectAutopilot(12).name, selectAutopilot(0).name]).toEqual(['ardupilot', 'px4', 'generic']);
  });

  it('name ArduCopter modes by custom_mode number', () => {
    expect([0, 3, 4, 5, 6, 9, 17, 21, 99].map((n) => ardupilotCopter.modeName(1, n))).toEqual(['STABILIZE', 'AUTO', 'GUIDED', 'LOITER', 'RTL', 'LAND', 'BRAKE', 'SMART_RTL', 'MODE_99']);
  });

  it('decode PX4 main/sub modes from custom_mode = main << 16 | sub << 24', () => {
    expect(px4.modeName(1, (4 << 16) | (4 << 24))).toBe('MISSION');
    expect(px4.modeName(1, (4 << 16) | (5 << 24))).toBe('RTL');
    expect(px4.modeName(1, 3 << 16)).toBe('POSCTL');
    expect(px4.modeName(1, 6 << 16)).toBe('OFFBOARD');
  });

  it('keep ArduPilot\'s home at item 0 and shift DO_JUMP targets, both ways', () => {
    const items = [item(22), item(16), item(177, 1), item(20)].map((it, seq) => ({ ...it, seq }));
    const onVehicle = ardupilotCopter.toVehicleMission('mission', items);
    expect(onVehicle.map((i) => [i.seq, i.command])).toEqual([[0, 16], [1, 22], [2, 16], [3, 177], [4, 20]]);
    expect(onVehicle[3]!.param1).toBe(2);
    expect(ardupilotCopter.fromVehicleMission('mission', onVehicle)).toEqual(items);
    // fences and rally points have no home item
    expect(ardupilotCopter.toVehicleMission('fence', items)).toHaveLength(4);
  });

  it('know what each firmware can do', () => {
    expect(px4.supports('orbit')).toBe(true);
    expect(ardupilotCopter.supports('orbit')).toBe(false);
    expect(ardupilotCopter.supports('rallyPoints')).toBe(true);
    expect(px4.supports('rallyPoints')).toBe(false);
  });
});
