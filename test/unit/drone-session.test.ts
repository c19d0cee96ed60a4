/**
 * A drone session's waits (server/fleet/drone-session.ts `until`) end with the session: a flight
 * waiting for a corner when the server shuts down fails at once (LINK_LOST) instead of leaving its
 * timer running until the leg's timeout, then writing into a closed store.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ardupilotCopter } from '../../server/autopilots/ardupilot-copter.ts';
import { DroneSession } from '../../server/fleet/drone-session.ts';
import { FakeClock } from '../../server/time/clock.ts';

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
