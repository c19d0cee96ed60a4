/** Shapes shared by many routes. */
import { Type } from '@sinclair/typebox';

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String({ examples: ['DRONE_NOT_FOUND'] }),
    message: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
  }),
}, { description: 'every error answer' });

export const DroneParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** Response map with the error shape for the given statuses. */
export function withErrors<T extends Record<number, unknown>, S extends number>(ok: T, ...statuses: S[]) {
  const out: Record<number, unknown> = { ...ok };
  for (const s of statuses) out[s] = ErrorBody;
  return out as T & Record<S, typeof ErrorBody>;
}
