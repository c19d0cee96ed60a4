/** Shapes shared by many routes. */
import { Type, type Static, type TObject, type TUnion } from '@sinclair/typebox';

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

/**
 * A union told apart by one property (e.g. `type`): validated with the OpenAPI `discriminator`
 * keyword, so a bad field is reported for the variant the client meant, not for every variant.
 */
export function DiscriminatedUnion<T extends TObject[]>(key: string, variants: [...T], options: { description?: string } = {}) {
  return Type.Unsafe<Static<TUnion<T>>>({ ...options, type: 'object', required: [key], discriminator: { propertyName: key }, oneOf: variants });
}
