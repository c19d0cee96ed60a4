/**
 * Whether a server's flight may go on (server/fleet/flight-guard.ts): the caller's hold, the link, a
 * homebound mode, and a takeover — once the flight has begun, any mode but the firmware's guided
 * mode (ArduPilot GUIDED, PX4 Hold after a reposition; unknown for a generic autopilot).
 */
import { describe, expect, it } from 'vitest';
import { ardupilotCopter } from '../../server/autopilots/ardupilot-copter.ts';
import type { AutopilotAdapter } from '../../server/autopilots/autopilot.ts';
import { genericAutopilot } from '../../server/autopilots/generic.ts';
import { px4 } from '../../server/autopilots/px4.ts';
import { FlightGuard } from '../../server/fleet/flight-guard.ts';

function guarded(adapter: AutopilotAdapter, mode: string) {
  const state = { connected: true, armed: true, landed: false, mode } as never as { connected: boolean; armed: boolean; landed: boolean; mode: string };
  let held = true;
  const guard = new FlightGuard({ state, adapter } as never, () => held);
  return { guard, state, release: () => { held = false; } };
}

describe('a flight\'s guard', () => {
  it('takes a mode still in telemetry from before the first goto for stale, then any mode but GUIDED for a takeover (ArduPilot)', () => {
    const g = guarded(ardupilotCopter, 'AUTO');
    g.state.mode = 'LOITER';
    expect(g.guard.stillOn()).toBe(true); // not begun: the first goto will switch it to GUIDED
    g.state.mode = 'AUTO';
    g.guard.begun();
    expect(g.guard.stillOn()).toBe(true); // the patrol's AUTO, a heartbeat behind the goto's ACK
    g.state.mode = 'GUIDED';
    expect(g.guard.stillOn()).toBe(true);
    g.state.mode = 'ALT_HOLD';
    expect(g.guard.stillOn()).toBe(false);
    g.state.mode = 'GUIDED';
    expect(g.guard.stillOn()).toBe(false); // taken stays taken
    expect(g.guard.takenBy()).toBe('ALT_HOLD');
    expect(g.guard.stopped('the flight')).toBe('the flight was stopped (ALT_HOLD: someone else took the drone): nothing more was sent');
  });

  it('counts a mode other than the stale one as a takeover before GUIDED is seen', () => {
    const g = guarded(ardupilotCopter, 'AUTO');
    g.guard.begun();
    g.state.mode = 'POSHOLD';
    expect(g.guard.takenBy()).toBe('POSHOLD');
  });

  it('knows PX4\'s guided mode is Hold (LOITER) after a reposition, and a generic autopilot\'s not at all', () => {
    const p = guarded(px4, 'LOITER');
    p.guard.begun();
    expect(p.guard.stillOn()).toBe(true);
    p.state.mode = 'POSCTL';
    expect(p.guard.takenBy()).toBe('POSCTL');
    const g = guarded(genericAutopilot, 'ARMED');
    g.guard.begun();
    g.state.mode = 'STANDBY';
    expect(g.guard.takenBy()).toBeNull();
  });

  it('stops for the caller\'s release, a lost link, and a homebound mode (its failsafe), saying why', () => {
    const a = guarded(ardupilotCopter, 'GUIDED');
    a.release();
    expect(a.guard.stillOn()).toBe(false);
    const b = guarded(ardupilotCopter, 'GUIDED');
    b.state.connected = false;
    expect(b.guard.stopped('the way home')).toBe('the way home was stopped (link lost): nothing more was sent');
    const c = guarded(ardupilotCopter, 'GUIDED');
    c.guard.begun();
    c.state.mode = 'RTL';
    expect(c.guard.stillOn()).toBe(false);
    expect(c.guard.stopped('the way back')).toBe('the way back was stopped (RTL): nothing more was sent');
    const landed = guarded(ardupilotCopter, 'LAND'); // on the ground after a landing the drone may take off again (a dispatcher's flight)
    landed.state.landed = true;
    landed.state.armed = false;
    expect(landed.guard.stillOn()).toBe(true);
  });
});
