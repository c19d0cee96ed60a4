/**
 * Which drone is doing what, so that dispatchers never take a drone that is already busy.
 *
 * A pausable task (a patrol) does not make its drone busy: another task may claim the drone, which
 * pauses the patrol under it; when that task is released the patrol is the drone's task again, and
 * whoever released it (see patrols.ts `returnFromTask`) sends the drone back to it.
 *
 *   free ──claim──▶ task ──release──▶ free
 *   patrol ──claim(other)──▶ other (patrol paused) ──release──▶ patrol
 */
export type TaskKind = 'advisory' | 'incident' | 'patrol' | 'overwatch';

export interface Task {
  kind: TaskKind;
  id: string;
  sinceMs: number;
  /** Another task may pause this one (a patrol). */
  pausable?: boolean;
}

type Handler = (droneId: string, task: Task) => void;

export class TaskBoard {
  private readonly tasks = new Map<string, Task>();
  private readonly paused = new Map<string, Task>();
  private readonly releasedHandlers: Handler[] = [];
  private readonly pausedHandlers: Handler[] = [];
  private readonly changeHandlers: Array<(droneId: string, task: Task | undefined) => void> = [];

  /** Claims the drone, pausing a pausable task; false when it is busy. */
  claim(droneId: string, task: Task): boolean {
    const current = this.tasks.get(droneId);
    if (current && !(current.pausable && !task.pausable)) return false;
    if (current) {
      this.paused.set(droneId, current);
      for (const h of this.pausedHandlers) h(droneId, current);
    }
    this.tasks.set(droneId, task);
    this.changed(droneId);
    return true;
  }

  /** Swaps the drone's task for `task` in one step when `current` accepts what it has now (no handlers run). */
  replace(droneId: string, current: (task: Task | undefined) => boolean, task: Task): boolean {
    if (!current(this.tasks.get(droneId))) return false;
    this.tasks.set(droneId, task);
    this.changed(droneId);
    return true;
  }

  /** Ends the task; a paused task under it becomes the drone's task again. */
  release(droneId: string, taskId: string): void {
    const task = this.tasks.get(droneId);
    if (task?.id !== taskId) {
      if (this.paused.get(droneId)?.id === taskId) this.paused.delete(droneId);
      return;
    }
    const resumed = this.paused.get(droneId);
    this.paused.delete(droneId);
    if (resumed) this.tasks.set(droneId, resumed);
    else this.tasks.delete(droneId);
    this.changed(droneId);
    for (const h of this.releasedHandlers) h(droneId, task);
  }

  /** Has a task that cannot be paused. */
  busy(droneId: string): boolean {
    const t = this.tasks.get(droneId);
    return t !== undefined && !t.pausable;
  }

  taskOf(droneId: string): Task | undefined {
    return this.tasks.get(droneId);
  }

  /** The task paused under the drone's current one. */
  pausedOf(droneId: string): Task | undefined {
    return this.paused.get(droneId);
  }

  onReleased(handler: Handler): void {
    this.releasedHandlers.push(handler);
  }

  onPaused(handler: Handler): void {
    this.pausedHandlers.push(handler);
  }

  /** The drone's current task changed (claimed, swapped, released). */
  onChange(handler: (droneId: string, task: Task | undefined) => void): void {
    this.changeHandlers.push(handler);
  }

  private changed(droneId: string): void {
    const task = this.tasks.get(droneId);
    for (const h of this.changeHandlers) h(droneId, task);
  }
}
