/** The audit log: who did what to which drone, and how it ended. Newest first, paged by `before`. */
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppDeps } from './deps.ts';

const Entry = Type.Object({
  id: Type.Integer(), at: Type.String(), operator: Type.String(), droneId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(), request: Type.Unknown(), result: Type.Unknown({ description: 'null while the action runs; { ok, code?, message? } after' }),
});

export function auditRoutes(deps: AppDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/api/audit', {
      config: { role: 'operator' },
      schema: {
        summary: 'Audit entries, newest first', tags: ['audit'],
        querystring: Type.Object({
          droneId: Type.Optional(Type.String({ maxLength: 64 })), operator: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })), before: Type.Optional(Type.Integer({ minimum: 1, description: 'entries with an id below this' })),
        }, { additionalProperties: false }),
        response: { 200: Type.Object({ entries: Type.Array(Entry) }) },
      },
    }, async (req) => ({ entries: deps.store.audit.list(req.query) }));
  };
}
