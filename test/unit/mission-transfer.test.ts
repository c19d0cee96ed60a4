import { describe, expect, it } from 'vitest';
import { common } from 'mavlink-mappings';
import { MissionUpload } from '../../server/mavlink/mission-transfer/upload.ts';
import { MissionDownload } from '../../server/mavlink/mission-transfer/download.ts';
import { MissionClear } from '../../server/mavlink/mission-transfer/clear.ts';
import type { WireMissionItem } from '../../server/mavlink/mission-transfer/types.ts';
import { FakeClock } from '../../server/time/clock.ts';
import { RecordingChannel } from '../helpers/recording-channel.ts';

function items(n: number): WireMissionItem[] {
  return Array.from({ length: n }, (_, seq) => ({ seq, frame: 3, command: 16, current: 0, autocontinue: 1, param1: 0, param2: 0, param3: 0, param4: 0, x: 305_000_000 + seq, y: 1_144_000_000, z: 40 }));
}

function setup() {
  return { clock: new FakeClock(), channel: new RecordingChannel() };
}

describe('mission upload', () => {
  it('answers MISSION_REQUEST_INT and legacy MISSION_REQUEST with MISSION_ITEM_INT and succeeds on ACK', async () => {
    const { clock, channel } = setup();
    const up = new MissionUpload({ channel, clock, missionType: 'mission', items: items(3) });
    up.start();
    expect(channel.last('MISSION_COUNT')!.fields).toMatchObject({ count: 3, missionType: 0 });
    up.handle(channel.fromVehicle(common.MissionRequestInt, { seq: 0, targetSystem: 255, targetComponent: 190 }));
    up.handle(channel.fromVehicle(common.MissionRequest, { seq: 1, targetSystem: 255, targetComponent: 190 }));
    up.handle(channel.fromVehicle(common.MissionRequestInt, { seq: 2 }));
    expect(channel.sent.filter((m) => m.name === 'MISSION_ITEM_INT').map((m) => m.fields.seq)).toEqual([0, 1, 2]);
    up.handle(channel.fromVehicle(common.MissionAck, { type: 0 }));
    expect(await up.result).toEqual({ ok: true, value: undefined });
  });

  it('resends MISSION_COUNT when no request comes', () => {
    const { clock, channel } = setup();
    const up = new MissionUpload({ channel, clock, missionType: 'fence', items: items(2) });
    up.start();
    clock.advance(1500);
    clock.advance(1500);
    expect(channel.count('MISSION_COUNT')).toBe(3);
    expect(channel.last('MISSION_COUNT')!.fields.missionType).toBe(1);
  });

  it('re-sends an item the vehicle asks for again, and the last item when the vehicle goes quiet', () => {
    const { clock, channel } = setup();
    const up = new MissionUpload({ channel, clock, missionType: 'mission', items: items(3) });
    up.start();
    up.handle(channel.fromVehicle(common.MissionRequestInt, { seq: 0 }));
    up.handle(channel.fromVehicle(common.MissionRequestInt, { seq: 1 }));
    up.handle(channel.fromVehicle(common.MissionRequestInt, { seq: 1 })); // item 1 was lost
    clock.advance(250); // request for 2 lost: resend 1
    expect(channel.sent.filter((m) => m.name === 'MISSION_ITEM_INT').map((m) => m.fields.seq)).toEqual([0, 1, 1, 1]);
  });

  it('fails cleanly with a timeout after 5 retries', async () => {
    const { clock, channel } = setup();
    const up = new MissionUpload({ channel, clock, missionType: 'mission', items: items(2) });
    up.start();
    clock.advance(1500 * 6);
    expect(await up.result).toEqual({ ok: false, failure: { kind: 'timeout', step: 'sendCount', attempts: 6 } });
    expect(channel.count('MISSION_COUNT')).toBe(6);
    clock.advance(10_000);
    expect(channel.count('MISSION_COUNT')).toBe(6);
  });

  it('maps an error MISSION_ACK to a typed rejection', async () => {
    const { clock, channel } = setup();
    const up = new MissionUpload({ channel, clock, missionType: 'mission', items: items(2) });
    up.start();
    up.handle(channel.fromVehicle(common.MissionAck, { type: 4 }));
    expect(await up.result).toEqual({ ok: false, failure: { kind: 'rejected', missionResult: 'MAV_MISSION_NO_SPACE', resultCode: 4 } });
  });

  it('can be cancelled and then sends nothing more', async () => {
    const { clock, channel } = setup();
    const up = new MissionUpload({ channel, clock, missionType: 'mission', items: items(2) });
    up.start();
    up.cancel();
    clock.advance(10_000);
    expect(channel.count('MISSION_COUNT')).toBe(1);
    expect(await up.result).toEqual({ ok: false, failure: { kind: 'cancelled' } });
  });
});

describe('mission download', () => {
  it('requests the list, each item, and acknowledges; re-requests a missing item', async () => {
    const { clock, channel } = setup();
    const down = new MissionDownload({ channel, clock, missionType: 'mission' });
    down.start();
    clock.advance(1500); // COUNT lost
    expect(channel.count('MISSION_REQUEST_LIST')).toBe(2);
    down.handle(channel.fromVehicle(common.MissionCount, { count: 3 }));
    const wire = items(3);
    const send = (i: number) => down.handle(channel.fromVehicle(common.MissionItemInt, { ...wire[i]! }));
    send(0);
    clock.advance(250); // item 1 lost: ask again
    expect(channel.sent.filter((m) => m.name === 'MISSION_REQUEST_INT').map((m) => m.fields.seq)).toEqual([0, 1, 1]);
    send(1);
    send(2);
    const result = await down.result;
    expect(result).toEqual({ ok: true, value: wire });
    expect(channel.last('MISSION_ACK')!.fields.type).toBe(0);
  });

  it('finishes at once on an empty mission', async () => {
    const { clock, channel } = setup();
    const down = new MissionDownload({ channel, clock, missionType: 'rally' });
    down.start();
    down.handle(channel.fromVehicle(common.MissionCount, { count: 0, missionType: 2 }));
    expect(await down.result).toEqual({ ok: true, value: [] });
  });
});

describe('mission clear', () => {
  it('resends CLEAR_ALL until acknowledged and reports a refusal by name', async () => {
    const { clock, channel } = setup();
    const clear = new MissionClear({ channel, clock, missionType: 'mission' });
    clear.start();
    clock.advance(1500);
    expect(channel.count('MISSION_CLEAR_ALL')).toBe(2);
    clear.handle(channel.fromVehicle(common.MissionAck, { type: 14 }));
    expect(await clear.result).toEqual({ ok: false, failure: { kind: 'rejected', missionResult: 'MAV_MISSION_DENIED', resultCode: 14 } });
  });
});
