import { describe, expect, it } from 'vitest';
import { TaskBoard } from '../../server/fleet/task-board.ts';

const patrol = { kind: 'patrol' as const, id: 'patrol:p1:route', sinceMs: 0, pausable: true };
const advisory = { kind: 'advisory' as const, id: 'adv_1', sinceMs: 1 };
const incident = { kind: 'incident' as const, id: 'inc_1', sinceMs: 2 };

describe('task board', () => {
  it('lets a dispatcher take a patrolling drone, pausing the patrol, and gives the patrol back on release', () => {
    const board = new TaskBoard();
    const paused: string[] = [];
    board.onPaused((d, t) => paused.push(`${d}:${t.id}`));
    expect(board.claim('E01', patrol)).toBe(true);
    expect(board.busy('E01')).toBe(false);
    expect(board.claim('E01', advisory)).toBe(true);
    expect(paused).toEqual(['E01:patrol:p1:route']);
    expect(board.busy('E01')).toBe(true);
    expect(board.pausedOf('E01')?.id).toBe(patrol.id);
    board.release('E01', advisory.id);
    expect(board.taskOf('E01')?.id).toBe(patrol.id);
    expect(board.pausedOf('E01')).toBeUndefined();
  });

  it('never lets a second task take a drone that is on an advisory or an incident', () => {
    const board = new TaskBoard();
    board.claim('E01', advisory);
    expect(board.claim('E01', incident)).toBe(false);
    expect(board.claim('E01', patrol)).toBe(false);
    expect(board.taskOf('E01')?.id).toBe(advisory.id);
  });

  it('ignores a release by a task that no longer holds the drone, and drops a paused patrol that ended underneath', () => {
    const board = new TaskBoard();
    const released: string[] = [];
    board.onReleased((_d, t) => released.push(t.id));
    board.claim('E01', patrol);
    board.claim('E01', incident);
    board.release('E01', 'adv_other');
    expect(board.taskOf('E01')?.id).toBe(incident.id);
    board.release('E01', patrol.id);
    expect(board.pausedOf('E01')).toBeUndefined();
    board.release('E01', incident.id);
    expect(board.taskOf('E01')).toBeUndefined();
    expect(released).toEqual([incident.id]);
  });
});
