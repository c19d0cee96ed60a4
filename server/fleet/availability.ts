/**
 * Why a drone cannot take a new task now (null: it can). One rule for every dispatcher (incidents,
 * parking advisories): a task that cannot pause, an overwatch station, a rest after a failed task,
 * a drone going home or landing on its own — its failsafe or its pilot — and a drone someone else
 * flies (airborne in a mode the server's flights do not use: a pilot's LOITER, an operator's hold or
 * own mission), which the server never countermands: a dispatcher's first goto would switch it back
 * to the guided mode. A drone the server itself sent home after a task may be redirected.
 */
import type { Drone } from '../contracts/drone.ts';
import { HOMEBOUND_MODES, homebound } from './flight-guard.ts';
import type { PatrolBook } from './patrols.ts';
import type { Task, TaskBoard } from './task-board.ts';

/** A drone that just failed a task (refused a command, lost its link, left on its own) rests this long. */
export const REST_AFTER_FAILURE_MS = 15_000;

export type Unavailable = (drone: Drone) => string | null;

/** Flying home or landing on its own (a failsafe, a pilot), not because this server sent it home. */
export function homeboundOnItsOwn(d: Drone, patrols: PatrolBook): boolean {
  return homebound(d) && !(d.mode === 'RTL' && patrols.sentHomeByServer(d.id));
}

/**
 * Airborne in a mode none of the server's flights uses: not the firmware's guided mode (`guidedMode`,
 * the adapter's; null: a firmware the server cannot tell), not the server's own patrol, not going
 * home. Someone else flies it — a pilot (LOITER, POSHOLD, ALT_HOLD …), an operator's hold (BRAKE) or
 * own mission (AUTO without a patrol of the server's).
 */
export function flownBySomeoneElse(d: Drone, guidedMode: string | null, task: Task | undefined): boolean {
  if (!d.connected || !d.armed || d.landed || guidedMode === null) return false;
  return d.mode !== guidedMode && task?.kind !== 'patrol' && !HOMEBOUND_MODES.has(d.mode);
}

export function unavailability(o: {
  tasks: TaskBoard; patrols: PatrolBook; busyElsewhere?: (droneId: string) => boolean; resting: (droneId: string) => boolean;
  /** The firmware's guided mode for this drone (its adapter's), null when unknown. */
  guidedModeOf: (droneId: string) => string | null;
}): Unavailable {
  return (d) => {
    const task = o.tasks.taskOf(d.id);
    if (task && !task.pausable) return `on ${task.kind} ${task.id}`;
    if (o.busyElsewhere?.(d.id)) return 'holding an overwatch station';
    if (o.resting(d.id)) return 'resting after a failed task';
    if (homeboundOnItsOwn(d, o.patrols)) return `going home or landing on its own (${d.mode})`;
    if (flownBySomeoneElse(d, o.guidedModeOf(d.id), task)) return `flown by someone else (${d.mode}): a pilot's or an operator's`;
    return null;
  };
}
