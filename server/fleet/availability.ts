/**
 * Why a drone cannot take a new task now (null: it can). One rule for every dispatcher (incidents,
 * parking advisories): a task that cannot pause, an overwatch station, a rest after a failed task,
 * or a drone going home or landing on its own — its failsafe or its pilot — which the server never
 * countermands. A drone the server itself sent home after a task may be redirected.
 */
import type { Drone } from '../contracts/drone.ts';
import { HOMEBOUND_MODES } from './flight-guard.ts';
import type { PatrolBook } from './patrols.ts';
import type { TaskBoard } from './task-board.ts';

/** A drone that just failed a task (refused a command, lost its link, left on its own) rests this long. */
export const REST_AFTER_FAILURE_MS = 15_000;

export type Unavailable = (drone: Drone) => string | null;

/** Flying home or landing on its own (a failsafe, a pilot), not because this server sent it home. */
export function homeboundOnItsOwn(d: Drone, patrols: PatrolBook): boolean {
  return d.armed && !d.landed && HOMEBOUND_MODES.has(d.mode) && !(d.mode === 'RTL' && patrols.sentHomeByServer(d.id));
}

export function unavailability(o: { tasks: TaskBoard; patrols: PatrolBook; busyElsewhere?: (droneId: string) => boolean; resting: (droneId: string) => boolean }): Unavailable {
  return (d) => {
    const task = o.tasks.taskOf(d.id);
    if (task && !task.pausable) return `on ${task.kind} ${task.id}`;
    if (o.busyElsewhere?.(d.id)) return 'holding an overwatch station';
    if (o.resting(d.id)) return 'resting after a failed task';
    if (homeboundOnItsOwn(d, o.patrols)) return `going home or landing on its own (${d.mode})`;
    return null;
  };
}
