/**
 * An action a server-side workflow (the advisory loop, the incident dispatcher) takes on a drone:
 * written to the audit log under the workflow's name before it is sent, finished with its result.
 */
import { AppError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../time/clock.ts';
import type { DroneSession } from './drone-session.ts';
import type { Fleet } from './fleet.ts';
import type { DroneAction } from './patrols.ts';

export function auditedAction(o: { fleet: Fleet; store: Store; clock: Clock; operator: string; isClosed: () => boolean }): DroneAction {
  return async (droneId: string, action: string, request: unknown, fn: (s: DroneSession) => Promise<void>) => {
    const session = o.fleet.get(droneId);
    if (!session) throw new AppError('DRONE_NOT_FOUND', `no drone ${droneId}`);
    const auditId = o.store.audit.begin({ at: new Date(o.clock.nowMs()).toISOString(), operator: o.operator, droneId, action, request });
    try {
      await fn(session);
      if (!o.isClosed()) o.store.audit.finish(auditId, { ok: true });
    } catch (err) {
      const e = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: (err as Error).message };
      if (!o.isClosed()) o.store.audit.finish(auditId, { ok: false, ...e });
      throw err;
    }
  };
}
