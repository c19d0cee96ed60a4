/**
 * A drone session (server/fleet/drone-session.ts): its waits (`until`) end with the session — a flight
 * waiting for a corner when the server shuts down fails at once (LINK_LOST) instead of leaving its
 * timer running until the leg's timeout, then writing into a closed store; and the RTL height it
 * reads from the vehicle (`returnAltitudeM`), through the fleet on an in-memory link and a fake
 * clock: read once from the parameter the adapter names, in metres; read again after the link is
 * regained; null, with the reason logged, when the vehicle does not answer or the adapter names none.
 */
import { Writable } from 'node:stream';
import { common, minimal } from 'mavlink-mappings';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ardupilotCopter } from '../../server/autopilots/ardupilot-copter.ts';
import { DroneSession } from '../../server/fleet/drone-session.ts';
import { Fleet } from '../../server/fleet/fleet.ts';
import { FrameEncoder } from '../../server/mavlink/frame-encoder.ts';
import { decodeAs } from '../../server/mavlink/message.ts';
import { FakeClock } from '../../server/time/clock.ts';
import { MemoryLink } from '../helpers/memory-link.ts';

function session(clock: FakeClock) {
  return new DroneSession({
    id: 'E01', key: 'udp:1', link: { id: 'udp', send: () => {} } as never, remote: '127.0.0.1:14550', sysid: 1, compid: 1, type: 2,
    adapter: ardupilotCopter, encoder: { encode: () => new Uint8Array() } as never, clock, logger: pino({ level: 'silent' }), commandRetries: 1, commandTimeoutMs: 1000,
  });
}

describe('a drone session\'s waits', () => {
  it('end at once with LINK_LOST when the session closes, and their timers with them', async () => {
    const clock = new FakeClock(0);
    const s = session(clock);
    const waiting = s.until(() => false, 200_000, 'the drone did not reach corner 1 of its route');
    s.close();
    await expect(waiting).rejects.toMatchObject({ code: 'LINK_LOST', message: expect.stringMatching(/corner 1.*session ended/) });
    clock.advance(300_000); // the timeout's timer is gone: nothing fires later
  });

  it('still time out as before while the session lives', async () => {
    const clock = new FakeClock(0);
    const s = session(clock);
    const waiting = s.until(() => false, 1000, 'never');
    clock.advance(1000);
    await expect(waiting).rejects.toMatchObject({ code: 'COMMAND_TIMEOUT' });
  });
});

describe('the RTL height a drone session reads from its vehicle', () => {
  const MAV_AUTOPILOT = { generic: 0, ardupilot: 3, px4: 12 };
  const flush = () => new Promise((r) => setImmediate(r));

  function vehicle(autopilot: number) {
    const clock = new FakeClock(0);
    const logs: Array<{ msg: string; why?: string; param?: string }> = [];
    const logger = pino({ level: 'info' }, new Writable({ write(chunk, _enc, done) { logs.push(JSON.parse(String(chunk))); done(); } }));
    const fleet = new Fleet({ clock, logger, requestStreams: false, linkLostAfterMs: 3000 });
    const link = new MemoryLink(clock);
    fleet.addLink(link);
    fleet.start();
    const enc = new FrameEncoder({ sysid: 1, compid: 1 });
    const heartbeat = () => link.deliver(enc.encode(minimal.Heartbeat, { type: 2, autopilot, baseMode: 0 as minimal.MavModeFlag, customMode: 0, systemStatus: 4, mavlinkVersion: 3 }));
    const answer = (paramId: string, paramValue: number) => link.deliver(enc.encode(common.ParamValue, { paramId, paramValue, paramType: 4, paramCount: 1, paramIndex: 0 }));
    const reads = () => link.sent.filter((f) => f.msgid === common.ParamRequestRead.MSG_ID).map((f) => decodeAs(f, common.ParamRequestRead)).map((m) => [m.paramId, m.paramIndex]);
    heartbeat();
    return { clock, fleet, session: fleet.get('E01')!, heartbeat, answer, reads, logs };
  }

  it('is read once from RTL_ALT on ArduCopter (centimetres → metres), and again after the link is regained', async () => {
    const v = vehicle(MAV_AUTOPILOT.ardupilot);
    const first = v.session.returnAltitudeM();
    expect(v.reads()).toEqual([['RTL_ALT', -1]]);
    v.answer('RTL_ALT', 3000);
    expect(await first).toBe(30);
    expect(await v.session.returnAltitudeM()).toBe(30);
    expect(v.reads()).toHaveLength(1); // remembered: not asked again
    // the link is lost, the vehicle may be reconfigured meanwhile; once it is back, its figure is read again
    v.clock.advance(4000);
    expect(v.session.state.connected).toBe(false);
    v.heartbeat();
    expect(v.session.state.connected).toBe(true);
    const again = v.session.returnAltitudeM();
    expect(v.reads()).toHaveLength(2);
    v.answer('RTL_ALT', 4500);
    expect(await again).toBe(45);
    await v.fleet.close();
  });

  it('is RTL_RETURN_ALT in metres on PX4', async () => {
    const v = vehicle(MAV_AUTOPILOT.px4);
    const read = v.session.returnAltitudeM();
    expect(v.reads()).toEqual([['RTL_RETURN_ALT', -1]]);
    v.answer('RTL_RETURN_ALT', 60);
    expect(await read).toBe(60);
    await v.fleet.close();
  });

  it('is null, with the reason logged, when the vehicle never answers (not asked again until the link is regained) or the autopilot names no parameter', async () => {
    const v = vehicle(MAV_AUTOPILOT.ardupilot);
    const read = v.session.returnAltitudeM();
    for (let i = 0; i < 4; i++) { v.clock.advance(1000); v.heartbeat(); }
    expect(await read).toBeNull();
    expect(v.reads()).toHaveLength(4); // the first and three resends
    expect(v.logs).toContainEqual(expect.objectContaining({ msg: 'RTL height not read', param: 'RTL_ALT', why: 'no answer after 4 attempts' }));
    expect(await v.session.returnAltitudeM()).toBeNull();
    expect(v.reads()).toHaveLength(4);
    await v.fleet.close();

    const g = vehicle(MAV_AUTOPILOT.generic);
    expect(await g.session.returnAltitudeM()).toBeNull();
    await flush();
    expect(g.reads()).toEqual([]);
    expect(g.logs).toContainEqual(expect.objectContaining({ msg: 'RTL height not read: this autopilot names no parameter for it' }));
    await g.fleet.close();
  });
});
