/**
 * Who a dispatcher may take (server/fleet/availability.ts), on plain drone states: a drone someone
 * else flies — airborne in a mode none of the server's flights uses (a pilot's LOITER, an operator's
 * hold, a mission that is not the server's patrol) — is never taken, since the dispatcher's first
 * goto would switch it back to the guided mode; neither is one going home on its own.
 */
import { describe, expect, it } from 'vitest';
import type { Drone } from '../../server/contracts/drone.ts';
import { unavailability } from '../../server/fleet/availability.ts';
import type { PatrolBook } from '../../server/fleet/patrols.ts';
import { TaskBoard } from '../../server/fleet/task-board.ts';

const drone = (over: Partial<Drone>): Drone => ({ id: 'E01', connected: true, armed: true, landed: false, mode: 'GUIDED', ...over } as Drone);

function rule(o: { guidedMode?: string | null; sentHome?: boolean } = {}) {
  const tasks = new TaskBoard();
  const patrols = { sentHomeByServer: () => o.sentHome ?? false } as unknown as PatrolBook;
  const why = unavailability({ tasks, patrols, resting: () => false, guidedModeOf: () => (o.guidedMode === undefined ? 'GUIDED' : o.guidedMode) });
  return { tasks, why };
}

describe('who a dispatcher may take', () => {
  it('takes a drone hovering in the guided mode, and any drone on the ground whatever its mode', () => {
    const { why } = rule();
    expect(why(drone({ mode: 'GUIDED' }))).toBeNull();
    expect(why(drone({ mode: 'LOITER', armed: false, landed: true }))).toBeNull();
    expect(why(drone({ mode: 'STABILIZE', armed: true, landed: true }))).toBeNull();
  });

  it('never takes a drone a pilot or an operator flies: LOITER, POSHOLD, ALT_HOLD, a hold (BRAKE), a mission of its own', () => {
    const { why } = rule();
    for (const mode of ['LOITER', 'POSHOLD', 'ALT_HOLD', 'STABILIZE', 'BRAKE', 'AUTO']) {
      expect(why(drone({ mode })), mode).toBe(`flown by someone else (${mode}): a pilot's or an operator's`);
    }
  });

  it('takes a drone flying the server\'s own patrol (AUTO with a patrol task), which pauses', () => {
    const { tasks, why } = rule();
    tasks.claim('E01', { kind: 'patrol', id: 'patrol:p1:route', sinceMs: 0, pausable: true });
    expect(why(drone({ mode: 'AUTO' }))).toBeNull();
  });

  it('leaves a drone going home on its own alone, but may redirect one this server sent home', () => {
    expect(rule().why(drone({ mode: 'RTL' }))).toBe('going home or landing on its own (RTL)');
    expect(rule({ sentHome: true }).why(drone({ mode: 'RTL' }))).toBeNull();
  });

  it('cannot tell for a firmware without a known guided mode: only its task and homing count', () => {
    expect(rule({ guidedMode: null }).why(drone({ mode: 'MANUAL' }))).toBeNull();
    expect(rule({ guidedMode: 'LOITER' }).why(drone({ mode: 'LOITER' }))).toBeNull(); // PX4's hold is its guided mode
    expect(rule({ guidedMode: 'LOITER' }).why(drone({ mode: 'POSCTL' }))).toMatch(/flown by someone else/);
  });
});
