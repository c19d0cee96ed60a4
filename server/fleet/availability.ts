/**
 * Why a drone cannot take a new task now (null: it can). One rule for every dispatcher (incidents,
 * parking advisories): a task that cannot pause, an overwatch station, a rest after a failed task,
 * or a drone going home or landing on its own — its failsafe or its pilot — which the server never
 * countermands. A drone the server itself sent home after a task may be redirected.
 */
import type { Drone } from '../contracts/drone.ts';
import { HOMEBOUND_MODES, type PatrolBook } from './patrols.ts';
import type { TaskBoard } from './task-board.ts';

export type Unavailable = (drone: Drone) => string | null;

export function unavailability(o: { tasks: TaskBoard; patrols: PatrolBook; busyElsewhere?: (droneId: string) => boolean; resting: (droneId: string) => boolean }): Unavailable {
  return (d) => {
    const task = o.tasks.taskOf(d.id);
    if (task && !task.pausable) return `on ${task.kind} ${task.id}`;
    if (o.busyElsewhere?.(d.id)) return 'holding an overwatch station';
    if (o.resting(d.id)) return 'resting after a failed task';
    if (d.armed && !d.landed && HOMEBOUND_MODES.has(d.mode) && !(d.mode === 'RTL' && o.patrols.sentHomeByServer(d.id))) return `going home or landing on its own (${d.mode})`;
    return null;
  };
}
