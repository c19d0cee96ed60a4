/** Which drone is doing what, so that dispatchers never take a drone that is already busy. */
export type TaskKind = 'advisory' | 'incident' | 'patrol' | 'overwatch';

export interface Task {
  kind: TaskKind;
  id: string;
  sinceMs: number;
}

export class TaskBoard {
  private readonly tasks = new Map<string, Task>();
  private readonly releasedHandlers: Array<(droneId: string) => void> = [];

  /** Claims the drone; false when it is busy. */
  claim(droneId: string, task: Task): boolean {
    if (this.tasks.has(droneId)) return false;
    this.tasks.set(droneId, task);
    return true;
  }

  release(droneId: string, taskId: string): void {
    if (this.tasks.get(droneId)?.id !== taskId) return;
    this.tasks.delete(droneId);
    for (const h of this.releasedHandlers) h(droneId);
  }

  busy(droneId: string): boolean {
    return this.tasks.has(droneId);
  }

  taskOf(droneId: string): Task | undefined {
    return this.tasks.get(droneId);
  }

  onReleased(handler: (droneId: string) => void): void {
    this.releasedHandlers.push(handler);
  }
}
