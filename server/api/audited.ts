/**
 * Runs an action on a drone with its audit entry: written before anything is sent, completed
 * with the result (or the error) afterwards.
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../time/clock.ts';

export async function audited<T>(
  ctx: { store: Store; clock: Clock },
  req: FastifyRequest,
  droneId: string | null,
  action: string,
  request: unknown,
  run: () => Promise<T>,
): Promise<T> {
  const operator = req.principal?.name ?? 'anonymous';
  const id = ctx.store.audit.begin({ at: new Date(ctx.clock.nowMs()).toISOString(), operator, droneId, action, request });
  try {
    const value = await run();
    ctx.store.audit.finish(id, { ok: true });
    return value;
  } catch (err) {
    const e = err instanceof AppError ? { code: err.code, message: err.message, details: err.details } : { code: 'INTERNAL', message: (err as Error).message };
    ctx.store.audit.finish(id, { ok: false, ...e });
    throw err;
  }
}
